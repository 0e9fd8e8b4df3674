// Regenerates docs/rules/<id>.md from the rules' meta (run after `npm run build`); the catalogue test checks them.
import { writeFileSync } from 'node:fs';
import { rules, renderRuleDoc, renderRulesIndex } from '../dist/rules/index.js';
for (const r of rules) writeFileSync(new URL(`../docs/rules/${r.id}.md`, import.meta.url), renderRuleDoc(r));
writeFileSync(new URL('../docs/rules/README.md', import.meta.url), renderRulesIndex(rules));
console.log(`${rules.length} rule pages and the index written`);
