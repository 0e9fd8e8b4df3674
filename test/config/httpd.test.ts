import { describe, expect, it } from 'vitest';
import { ConfigError, httpdWords, MAX_SECTION_DEPTH, readHttpd } from '../../src/config/index.js';
import { int, pick, rng, type Rng } from '../fuzz/mutate.js';
import { memFiles } from '../rules/config-harness.js';

/**
 * The sections of each directive of one file (no Include) as readHttpd kept them before the
 * nesting bound: the enclosing sections copied for each run of directives, a closing tag cutting
 * back to the last section of its name (cut out of every section's text at each tag).
 */
function sectionsByCopy(text: string): string[][] {
  const out: string[][] = [];
  const local: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('</')) {
      const name = line.slice(2).replace(/>.*$/, '').trim().toLowerCase();
      const idx = local.map((s) => s.split(' ')[0]!.toLowerCase()).lastIndexOf(name);
      if (idx >= 0) local.length = idx;
      continue;
    }
    if (line.startsWith('<')) {
      const words = httpdWords(line.slice(1).replace(/>\s*$/, ''));
      local.push([words[0] ?? '', ...words.slice(1)].join(' '));
      continue;
    }
    out.push([...local]);
  }
  return out;
}

/** Tags of few names in any case (a quoted name with a blank, an empty one), closing tags that match nothing, directives. */
function randomSections(r: Rng): string {
  const names = ['IfModule', 'ifmodule', 'VirtualHost', 'Location', '"If Module"', '', 'Proxy'];
  const lines: string[] = [];
  for (let i = int(r, 60); i >= 0; i--) {
    const k = int(r, 10);
    if (k < 3) lines.push(`<${pick(r, names)}${pick(r, ['', ' a', ' *:80', ' "b c"'])}>`);
    else if (k < 5) lines.push(`</${pick(r, names).replace(/"/g, '')}${pick(r, ['', ' x'])}>`);
    else lines.push(`Listen ${int(r, 100)}`);
  }
  return lines.join('\n') + '\n';
}

describe('readHttpd: sections', () => {
  it('the same sections for every directive as copies made per directive run, on 2,000 random files; one list shared by a run', () => {
    const r = rng(7311);
    let nested = 0;
    for (let run = 0; run < 2000; run++) {
      const text = randomSections(r);
      const { directives } = readHttpd('/h.conf', memFiles({ '/h.conf': text }));
      expect(
        directives.map((d) => d.sections),
        text,
      ).toEqual(sectionsByCopy(text));
      nested += directives.filter((d) => d.sections.length > 2).length;
    }
    expect(nested).toBeGreaterThan(5000);
    const { directives } = readHttpd('/h.conf', memFiles({ '/h.conf': '<VirtualHost *:80>\nA 1\nB 2\n<Location /x>\nC 3\n</Location>\nD 4\n</VirtualHost>\n' }));
    expect(directives[0]!.sections).toBe(directives[1]!.sections);
    expect(directives[3]!.sections).not.toBe(directives[0]!.sections);
    expect(directives[3]!.sections).toEqual(directives[0]!.sections);
  });

  it('an included file inherits the sections around its Include and cannot close them', () => {
    const files = { '/srv/h.conf': 'ServerRoot /srv\n<VirtualHost *:80>\nInclude in.conf\nB 2\n</VirtualHost>\n', '/srv/in.conf': '<Location /a>\nA 1\n</Location>\n</VirtualHost>\nC 3\n' };
    const { directives } = readHttpd('/srv/h.conf', memFiles(files));
    expect(directives.map((d) => [d.name, d.sections])).toEqual([
      ['ServerRoot', []],
      ['Include', ['VirtualHost *:80']],
      ['A', ['VirtualHost *:80', 'Location /a']],
      ['C', ['VirtualHost *:80']],
      ['B', ['VirtualHost *:80']],
    ]);
  });

  it(`sections ${MAX_SECTION_DEPTH} deep are read; one more is a one-line ConfigError naming the tag, also through an Include`, () => {
    const nest = (n: number): string => `Listen 80\n${'<IfModule m>\nJkMount /a/* w1\n'.repeat(n)}${'</IfModule>\n'.repeat(n)}`;
    const { directives } = readHttpd('/h.conf', memFiles({ '/h.conf': nest(MAX_SECTION_DEPTH) }));
    expect(directives.at(-1)!.sections).toHaveLength(MAX_SECTION_DEPTH);
    expect(() => readHttpd('/h.conf', memFiles({ '/h.conf': nest(MAX_SECTION_DEPTH + 1) }))).toThrow(ConfigError);
    expect(() => readHttpd('/h.conf', memFiles({ '/h.conf': nest(MAX_SECTION_DEPTH + 1) }))).toThrow(/^\/h\.conf:258: <IfModule> opens a section 129 deep: ajp-inspect reads sections 128 deep at most \(a configuration nests a handful: VirtualHost, IfModule, Location\)$/);
    const files = { '/srv/h.conf': `ServerRoot /srv\n${'<IfModule m>\n'.repeat(100)}Include in.conf\n`, '/srv/in.conf': '<Location /a>\n'.repeat(29) };
    expect(() => readHttpd('/srv/h.conf', memFiles(files))).toThrow(/^\/srv\/in\.conf:29: <Location> opens a section 129 deep/);
  });

  it('8,000 nested <IfModule>, a directive in each: the one line at once (were 7.8 s and 358 MB; 32,000 ran out of 4 GB)', () => {
    const n = 8000;
    const text = `Listen 80\n${Array.from({ length: n }, (_, i) => `<IfModule m${i}>\nJkMount /a${i}/* w1\n`).join('')}${'</IfModule>\n'.repeat(n)}`;
    const t = performance.now();
    expect(() => readHttpd('/h.conf', memFiles({ '/h.conf': text }))).toThrow(/^\/h\.conf:258: <IfModule> opens a section 129 deep/);
    expect(performance.now() - t).toBeLessThan(1000);
  }, 30_000);
});
