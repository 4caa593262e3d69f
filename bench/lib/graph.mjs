// Revision graphs for the benchmarks: a plain description (ids, parents, labels)
// that every tool's generator writes out in its own format.
import { createHash } from 'node:crypto';

/** Deterministic 12-hex id, like the ids `migrate revision` generates. */
export function revisionId(index) {
  return createHash('sha1').update(`bench-revision-${index}`).digest('hex').slice(0, 12);
}

/** Zero-padded ordinal used in table names and file names (sorts lexically). */
export function ordinal(index) {
  return String(index + 1).padStart(6, '0');
}

/**
 * N revisions in one line: each revises the one before.
 * @returns {{ index: number, id: string, parents: string[], labels: string[] }[]}
 */
export function linearGraph(count) {
  const revisions = [];
  for (let index = 0; index < count; index++) {
    revisions.push({
      index,
      id: revisionId(index),
      parents: index === 0 ? [] : [revisions[index - 1].id],
      labels: [],
    });
  }
  return revisions;
}

/**
 * A trunk and `branchCount` labelled branches forked from the first revision. The
 * branches take turns adding revisions; every `mergeEvery` revisions a merge on the
 * trunk takes in every branch's head, and the branches go on from there (so their
 * heads become branch points). Labels are declared once, at each branch's first
 * revision, as teams do for long-lived branches.
 */
export function branchyGraph(count, { branchCount = 3, mergeEvery = 40 } = {}) {
  const revisions = [];
  const add = (parents, labels = []) => {
    const index = revisions.length;
    const revision = { index, id: revisionId(index), parents, labels };
    revisions.push(revision);
    return revision.id;
  };
  const lanes = [add([])]; // lane 0 is the trunk
  for (let b = 1; b <= branchCount && revisions.length < count; b++) {
    lanes.push(add([revisions[0].id], [`branch_${b}`]));
  }
  let sinceMerge = 0;
  let turn = 0;
  while (revisions.length < count) {
    if (sinceMerge >= mergeEvery && revisions.length < count) {
      lanes[0] = add([...lanes]);
      sinceMerge = 0;
      continue;
    }
    const lane = turn % lanes.length;
    lanes[lane] = add([lanes[lane]]);
    turn++;
    sinceMerge++;
  }
  return revisions;
}

/** Revisions no other revision names as a parent, in creation order. */
export function headsOf(revisions) {
  const hasChild = new Set(revisions.flatMap((r) => r.parents));
  return revisions.filter((r) => !hasChild.has(r.id)).map((r) => r.id);
}

export function makeGraph(shape, count) {
  if (shape === 'linear') return linearGraph(count);
  if (shape === 'branchy') return branchyGraph(count);
  throw new Error(`unknown graph shape ${shape}`);
}
