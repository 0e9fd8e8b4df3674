/**
 * A small element tree of an XML file with the line of each start tag, built with `sax` in strict
 * mode (well-formedness errors, the predefined and numeric entities, comments, CDATA, and the
 * internal-subset `<!ENTITY name "value">` declarations Tomcat users put in server.xml). A server.xml
 * fragment (several <Connector> elements pasted from a larger file, no single root) is read inside a
 * synthetic root.
 */
import sax from 'sax';
import { ConfigError } from './types.js';

export interface XmlElement {
  name: string;
  /** Attributes, entities resolved. */
  attrs: Record<string, string>;
  line: number;
  children: XmlElement[];
  parent?: XmlElement;
}

const FRAGMENT_ROOT = 'ajp-inspect-fragment';

/**
 * Elements nested deeper than this are refused (ConfigError). server.xml nests ~6 deep
 * (Server/Service/Engine/Host/Context/Valve), standalone.xml ~8; the tree's walks (findAll, the
 * callers' recursion) would overflow the stack on a file of 20,000 nested elements, which is no
 * configuration anyway.
 */
export const MAX_XML_DEPTH = 256;

function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

function parseOnce(text: string, shift: number, lineStarts: readonly number[]): XmlElement {
  const parser = sax.parser(true, { position: true, trim: false });
  const root: XmlElement = { name: '#document', attrs: {}, line: 1, children: [] };
  let cur = root;
  let depth = 0;
  let failure: string | undefined;
  parser.ondoctype = (doctype: string) => {
    for (const m of doctype.matchAll(/<!ENTITY\s+([A-Za-z_][\w.-]*)\s+(?:"([^"]*)"|'([^']*)')\s*>/g)) {
      (parser.ENTITIES as Record<string, string>)[m[1]!] = m[2] ?? m[3] ?? '';
    }
  };
  parser.onopentag = (tag) => {
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(tag.attributes)) attrs[k] = typeof v === 'string' ? v : v.value;
    const el: XmlElement = { name: tag.name, attrs, line: lineAt(lineStarts, Math.max(0, parser.startTagPosition - 1 - shift)), children: [], parent: cur };
    if (++depth > MAX_XML_DEPTH) {
      failure = `elements nested deeper than ${MAX_XML_DEPTH}`;
      throw new Error(failure);
    }
    cur.children.push(el);
    cur = el;
  };
  parser.onclosetag = () => {
    depth--;
    if (cur.parent) cur = cur.parent;
  };
  parser.onerror = (e: Error) => {
    failure ??= e.message.split('\n')[0];
    throw e;
  };
  try {
    parser.write(text).close();
  } catch {
    const line = parser.line + 1 - (shift > 0 ? 0 : 0);
    throw new ConfigError(`line ${line}: not well-formed XML: ${failure ?? 'parse error'}`);
  }
  return root;
}

/** Parses XML text; a fragment without a single root element is read inside a synthetic one. */
export function parseXml(text: string): XmlElement {
  const body = text.replace(/^\uFEFF/, '');
  const lineStarts = [0];
  for (let i = body.indexOf('\n'); i >= 0; i = body.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  try {
    return parseOnce(body, 0, lineStarts);
  } catch (err) {
    // Several top-level elements or text beside them: a fragment. Only retried without a prolog.
    if (!(err instanceof ConfigError) || !/root|Text data outside|non-whitespace/i.test(err.message) || /^\s*<(\?xml|!DOCTYPE)/i.test(body)) throw err;
    const open = `<${FRAGMENT_ROOT}>`;
    // The wrapper adds no newline, so lines stay; offsets shift by its length.
    const root = parseOnce(open + body + `</${FRAGMENT_ROOT}>`, open.length, lineStarts);
    const frag = root.children[0]!;
    frag.name = '#fragment';
    return frag;
  }
}

/** Every element named `name` (case-sensitive, any depth, document order). */
export function findAll(root: XmlElement, pred: (e: XmlElement) => boolean): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    for (const c of e.children) {
      if (pred(c)) out.push(c);
      walk(c);
    }
  };
  walk(root);
  return out;
}

/** The nearest enclosing element with this local name. */
export function ancestor(e: XmlElement, local: string): XmlElement | undefined {
  for (let p = e.parent; p; p = p.parent) if (localName(p.name) === local) return p;
  return undefined;
}

export function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}
