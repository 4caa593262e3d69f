/**
 * Alembic's line formats for the read commands (its Script.cmd_format / log_entry),
 * so that users and scripts moving from Alembic see the same text.
 */
import type { RevisionInfo, RevisionSummary } from '../api/revision-info.js';

export interface LineStyle {
  includeBranches?: boolean;
  includeDoc?: boolean;
  includeParents?: boolean;
  treeIndicators?: boolean;
}

// One item (nearly every parent list) without a join: `history` formats 10,000 lines.
const comma = (items: readonly string[]) => (items.length === 1 ? items[0]! : items.join(', '));

function downRevisionText(info: RevisionSummary): string {
  return info.downRevisions.length === 0 ? '<base>' : comma(info.downRevisions);
}

/** One line: `a1 -> b2 (label) (head) (branchpoint), message`, parts as the style asks. */
export function revisionLine(info: RevisionSummary, style: LineStyle = {}): string {
  const { includeBranches = false, includeDoc = false, includeParents = false, treeIndicators = true } = style;
  let text = info.revision;
  if (includeParents) {
    text = info.dependsOn.length > 0
      ? `${downRevisionText(info)} (${comma(info.dependsOn)}) -> ${text}`
      : `${downRevisionText(info)} -> ${text}`;
  }
  if (includeBranches && info.branchLabels.length > 0) text += ` (${comma(info.branchLabels)})`;
  if (info.isRealHead) text += ' (head)';
  else if (info.isHead) text += ' (effective head)';
  if (info.isCurrent) text += ' (current)';
  if (treeIndicators) {
    if (info.isBranchPoint) text += ' (branchpoint)';
    if (info.isMergePoint) text += ' (mergepoint)';
  }
  if (includeDoc) text += `, ${info.message}`;
  return text;
}

/** The verbose block (`-v`, `show`): Rev/Parent/Path lines then the indented doc, then a blank line. */
export function revisionEntry(info: RevisionInfo): string[] {
  let first = `Rev: ${info.revision}`;
  if (info.isHead) first += ' (head)';
  if (info.isBranchPoint) first += ' (branchpoint)';
  if (info.isMergePoint) first += ' (mergepoint)';
  if (info.isCurrent) first += ' (current)';
  const lines = [first];
  lines.push(`${info.isMergePoint ? 'Merges' : 'Parent'}: ${downRevisionText(info)}`);
  if (info.dependsOn.length > 0) lines.push(`Also depends on: ${comma(info.dependsOn)}`);
  if (info.isBranchPoint) lines.push(`Branches into: ${comma(info.nextRevisions)}`);
  if (info.branchLabels.length > 0) lines.push(`Branch names: ${comma(info.branchLabels)}`);
  lines.push(`Path: ${info.path}`);
  lines.push('');
  // Alembic indents every line of the doc; an empty doc leaves two blank lines.
  if (info.doc === '') lines.push('');
  else for (const paragraph of info.doc.split('\n')) lines.push(`    ${paragraph}`);
  lines.push('');
  return lines;
}

/** The form each read command uses for one revision. */
export function formatRevision(info: RevisionInfo, verbose: boolean, style: LineStyle): string[] {
  return verbose ? revisionEntry(info) : [revisionLine(info, style)];
}
