// Regenerates docs/rules/<id>.md from the rules' meta (run after `npm run build`); the catalogue test checks them.
import { writeFileSync } from 'node:fs';
import { rules, renderRuleDoc } from '../dist/rules/index.js';
for (const r of rules) writeFileSync(new URL(`../docs/rules/${r.id}.md`, import.meta.url), renderRuleDoc(r));
console.log(`${rules.length} rule pages written`);
