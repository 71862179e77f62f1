/**
 * How many typos apart two short words are: insertions, deletions, substitutions, and two neighbouring letters
 * swapped counted as one ("gmial", "ilel" — the commonest slip on a phone). Used to read answers typed with a
 * slip (interpret.ts) and départements' names (./departement.ts).
 */

/** The distance between `a` and `b`, or Infinity as soon as it is sure to be more than `max` (cheap on long misses). */
export function typosBetween(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return Infinity;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      row.push(d);
    }
    if (Math.min(...row) > max) return Infinity;
    before = previous;
    previous = row;
  }
  const d = previous[b.length]!;
  return d <= max ? d : Infinity;
}
