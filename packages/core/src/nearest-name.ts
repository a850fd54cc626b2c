/**
 * The valid name a mistyped one most likely meant, for "did you mean ...?"
 * answers: the closest by edit distance (adjacent transpositions count as
 * one edit), if close enough to be a typo, or the only name the input begins.
 */
export function nearestName(input: string, candidates: readonly string[]): string | undefined {
  const typed = input.toLowerCase();
  if (typed === '') return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(typed, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  // One edit in three characters is a typo; more is a different word.
  if (best !== undefined && bestDistance <= Math.max(1, Math.floor(typed.length / 3))) return best;
  const prefixed = candidates.filter((c) => c.toLowerCase().startsWith(typed));
  return typed.length >= 2 && prefixed.length === 1 ? prefixed[0] : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = new Array<number>(n + 1);
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[n]!;
}
