/**
 * The real pastes (test/fixtures/logs/pastes/) as they reach us through a mail client or a terminal:
 * every line longer than the width cut, by a mail client at the last blank within 72 columns (the
 * blank dropped, as a hard line break replaces it), or by a terminal at exactly 80 columns, mid-word.
 * A paste diagnosed right as published must be diagnosed the same once wrapped. The cases that are
 * not yet are listed in WRAP_MISSES with what defeats the reading; the test fails when one of them
 * starts passing, so the list stays true.
 *
 * (The wrapping is done here, in a few lines, not by the code under test; the labels are the
 * threads', as in pastes.test.ts.)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PASTES, pasteCases, pasteVerdict } from './paste-verdict.js';
import { mailWrap, terminalWrap } from '../wraps.js';

const WRAPS: Record<string, (text: string) => string> = {
  'mail, 72 columns': (t) => mailWrap(t, 72),
  'terminal, 80 columns': (t) => terminalWrap(t, 80),
};

/** Pastes diagnosed right as published but not yet once wrapped, by wrap, and why. */
const WRAP_MISSES: Record<string, Record<string, string>> = {
  'mail, 72 columns': {
    'gh-blog-tomcat6-ajp-executor-jkcoyotehandler-date-placeholder':
      "the post is already wrapped at 80 under a 4-space indent; wrapped again, its pieces alternate indented and not, and an indented piece reads as a stack-trace line of the fragment before it",
    'mc-modcluster000042-info-null-6666':
      'the stamp-less JBoss head (`ERROR [org.jboss.modcluster]`) is cut from its message and every line is shorter than any wrap width: nothing says the paste was wrapped',
    'mc-same-ajp-url-reslist-assertion':
      "the cut leaves the assertion's opening backtick (`` `rl->ntotal == 0' ``) first on its line, where it reads as Markdown inline code and is taken off",
  },
  'terminal, 80 columns': {
    'gh-blog-tomcat6-ajp-executor-jkcoyotehandler-date-placeholder': 'as for the mail wrap: pieces of a post already wrapped under an indent read as stack-trace lines',
    'r2c-cisco-ucce-isapi-loadlibraryex-tomcat7100':
      'two lines only, too few to tell a wrap; the first already names a known message (`Calling LoadLibraryEx on ISAPI filter`) and ends at a blank, so its rest (the DLL path the rule reads) is left apart',
    'r2c-ko-jk-selinux-ajp-8019-errno13':
      'Markdown emphasis (`*…*`) around each record: the cut leaves an opening `*` on one line and the closing one on the next, and neither line is unwrapped',
  },
};

const cases = pasteCases();

describe('real pastes wrapped by a mail client or a terminal', () => {
  for (const [wrap, apply] of Object.entries(WRAPS)) {
    it(`${wrap}: diagnosed as published`, async () => {
      const misses = WRAP_MISSES[wrap] ?? {};
      const wrong: string[] = [];
      const nowPass: string[] = [];
      let checked = 0;
      for (const { slug, meta } of cases) {
        const text = readFileSync(PASTES + slug + '.txt', 'utf8');
        const wrapped = apply(text);
        if (wrapped === text) continue;
        const published = await pasteVerdict(slug, text, meta, PASTES + slug + '.txt');
        if (!published.pass) continue;
        checked++;
        const v = await pasteVerdict(slug, wrapped, meta);
        if (misses[slug] !== undefined) {
          if (v.pass) nowPass.push(slug);
        } else if (!v.pass || v.refused) wrong.push(`${slug}: want ${meta.cause}, got ${v.got}`);
      }
      expect(checked).toBeGreaterThanOrEqual(80);
      expect(wrong, 'diagnosed otherwise once wrapped').toEqual([]);
      expect(nowPass, 'now pass: remove them from WRAP_MISSES').toEqual([]);
    }, 120_000);
  }
});
