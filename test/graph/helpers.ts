import { RevisionMap, type RevisionNode } from '../../src/graph/index.js';

/** `rev('b', 'a')`: a revision for tests, with its id as the source file name. */
export function rev(
  id: string,
  down: string | string[] = [],
  options: { dependsOn?: string[]; labels?: string[] } = {},
): RevisionNode {
  return {
    id,
    downRevisions: typeof down === 'string' ? [down] : down,
    dependsOn: options.dependsOn ?? [],
    branchLabels: options.labels ?? [],
    source: `versions/${id}.ts`,
  };
}

export function ids(nodes: readonly RevisionNode[]): string[] {
  return nodes.map((node) => node.id);
}

/** A linear chain of `count` revisions with 12-hex-digit ids. */
export function chain(count: number): RevisionNode[] {
  const id = (index: number): string => index.toString(16).padStart(12, '0');
  return Array.from({ length: count }, (_, index) => rev(id(index), index === 0 ? [] : id(index - 1)));
}

export function map(...nodes: RevisionNode[]): RevisionMap<RevisionNode> {
  return new RevisionMap(nodes);
}
