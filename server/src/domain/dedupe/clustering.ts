/**
 * Groups matched pairs into clusters by connected components (union-find with path halving): if A matches B and B
 * matches C, the three are reviewed together, as Plauti and Salesforce show them. A group's score is the average of
 * its pairs' scores; groups come highest score first.
 */
export interface Cluster {
  members: number[];
  /** Indexes into the match arrays. */
  pairs: number[];
  score: number;
}

export function groupPairs(size: number, a: number[], b: number[], scores: number[]): Cluster[] {
  const parent = new Int32Array(size).map((_, i) => i);
  const find = (x: number): number => {
    let node = x;
    while (parent[node] !== node) {
      parent[node] = parent[parent[node] as number] as number;
      node = parent[node] as number;
    }
    return node;
  };
  for (let m = 0; m < a.length; m += 1) {
    const rootA = find(a[m] as number);
    const rootB = find(b[m] as number);
    if (rootA !== rootB) parent[Math.max(rootA, rootB)] = Math.min(rootA, rootB);
  }
  const byRoot = new Map<number, Cluster>();
  for (let m = 0; m < a.length; m += 1) {
    const root = find(a[m] as number);
    let cluster = byRoot.get(root);
    if (!cluster) {
      cluster = { members: [], pairs: [], score: 0 };
      byRoot.set(root, cluster);
    }
    cluster.pairs.push(m);
    cluster.score += scores[m] as number;
  }
  const inCluster = new Set<number>();
  for (const cluster of byRoot.values()) {
    cluster.score /= cluster.pairs.length;
    for (const m of cluster.pairs) {
      for (const member of [a[m] as number, b[m] as number]) {
        if (!inCluster.has(member)) {
          inCluster.add(member);
          cluster.members.push(member);
        }
      }
    }
    cluster.members.sort((x, y) => x - y);
  }
  return [...byRoot.values()].sort((x, y) => y.score - x.score || y.members.length - x.members.length);
}
