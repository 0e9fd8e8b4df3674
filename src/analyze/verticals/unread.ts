/** The notice every vertical gives for the evidence items it counted past their bound. */
import type { EvidenceUnread } from '../../util/evidence-budget.js';
import type { Notice } from '../types.js';

/**
 * Evidence items past the bound of their kind (util/evidence-budget.ts MAX_EVIDENCE_PER_KIND):
 * counted, not read by the rules. Said by every capture command (cli/analysis.ts printWarnings) and
 * in the report's notices.
 */
export function unreadNotices(unread: readonly EvidenceUnread[]): Notice[] {
  return unread.map((u) => ({
    kind: 'evidence-unread',
    text: `${u.items} more capture items of kind ${u.kind} not read by the rules (the first ${u.kept} were): their counts stop there`,
  }));
}
