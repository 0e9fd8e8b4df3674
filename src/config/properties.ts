/**
 * A `.properties` file read with java.util.Properties#load semantics (the format workers.properties,
 * uriworkermap.properties and isapi_redirect.properties are documented in): `#` / `!` comments,
 * `key=value`, `key: value` or `key value`, a line ending in an odd number of backslashes continues
 * on the next (leading blanks of the next line dropped), `\t \n \r \f \uXXXX` escapes, any other
 * escaped character is itself. Every entry keeps the line its key starts on.
 *
 * mod_jk's own reader (native/common/jk_map.c jk_map_read_properties, jk_map_read_property) differs
 * in ways that matter: a repeated key is not replaced but, for the list-valued keys (worker.list,
 * balance_workers, mount, …), appended with a comma; a '#' starts a comment anywhere in a line; an
 * empty value sets nothing. workers.ts applies those.
 */

export interface PropEntry {
  key: string;
  value: string;
  line: number;
}

function unescape(s: string): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\' || i === s.length - 1) {
      out += c;
      continue;
    }
    const n = s[++i]!;
    if (n === 't') out += '\t';
    else if (n === 'n') out += '\n';
    else if (n === 'r') out += '\r';
    else if (n === 'f') out += '\f';
    else if (n === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(i + 1, i + 5))) {
      out += String.fromCharCode(parseInt(s.slice(i + 1, i + 5), 16));
      i += 4;
    } else out += n;
  }
  return out;
}

/** Trailing backslashes of a line: an odd count continues the entry. */
function continues(line: string): boolean {
  let n = 0;
  for (let i = line.length - 1; i >= 0 && line[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

/**
 * The logical entries of a properties text, in order (duplicates kept). `bang`: `!` starts a comment
 * (java.util.Properties); mod_jk's jk_map.c knows only `#`, and uriworkermap uses `!` for exclusions.
 */
export function parseProperties(text: string, bang = true): PropEntry[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const out: PropEntry[] = [];
  for (let i = 0; i < lines.length; i++) {
    const first = i + 1;
    let logical = lines[i]!.replace(/^[ \t\f]+/, '');
    if (logical === '' || logical[0] === '#' || (bang && logical[0] === '!')) continue;
    while (continues(logical) && i + 1 < lines.length) {
      logical = logical.slice(0, -1) + lines[++i]!.replace(/^[ \t\f]+/, '');
    }
    if (continues(logical)) logical = logical.slice(0, -1);
    // The key ends at the first unescaped '=', ':' or blank.
    let k = 0;
    while (k < logical.length) {
      const c = logical[k]!;
      if (c === '\\') {
        k += 2;
        continue;
      }
      if (c === '=' || c === ':' || c === ' ' || c === '\t' || c === '\f') break;
      k++;
    }
    const key = logical.slice(0, Math.min(k, logical.length));
    let rest = logical.slice(Math.min(k, logical.length)).replace(/^[ \t\f]+/, '');
    if (rest[0] === '=' || rest[0] === ':') rest = rest.slice(1).replace(/^[ \t\f]+/, '');
    out.push({ key: unescape(key), value: unescape(rest).replace(/[ \t]+$/, ''), line: first });
  }
  return out;
}
