import { parseNumericText } from './cell.js';

const collator = new Intl.Collator('en-US');

/**
 * Strings over one of these alphabets collate in code-unit order (digits
 * before letters, letters alphabetically, a prefix first), so they can be
 * sorted without the much slower collator. Mixed case cannot: the collator
 * puts "a1" before "B0".
 */
const LOWER_ALNUM = /^[0-9a-z]*$/;
const UPPER_ALNUM = /^[0-9A-Z]*$/;

function codeUnitOrderMatchesCollator(levels: readonly string[]): boolean {
  return levels.every((l) => LOWER_ALNUM.test(l)) || levels.every((l) => UPPER_ALNUM.test(l));
}

/** Whether a level reads as a number (R's factor() then sorts numerically). */
export function isNumericLevel(level: string): boolean {
  const v = parseNumericText(level);
  return v !== undefined && !Number.isNaN(v);
}

/**
 * The comparator (over indices into `levels`) behind R's factor() level
 * order: numeric order when every level reads as a number (what R does after
 * read.csv turns such a column into numbers), otherwise the locale's string
 * collation. Which of the two applies depends on the whole set of levels.
 */
export function levelComparator(levels: readonly string[]): (a: number, b: number) => number {
  const nums = levels.map((l) => parseNumericText(l));
  const allNumeric = nums.every((v) => v !== undefined && !Number.isNaN(v));
  if (allNumeric) {
    return (a, b) => (nums[a] as number) - (nums[b] as number) || collator.compare(levels[a] as string, levels[b] as string);
  }
  if (codeUnitOrderMatchesCollator(levels)) {
    // Has the sign of the collator comparator below for every pair, hence gives the same sort.
    return (a, b) => ((levels[a] as string) < (levels[b] as string) ? -1 : 1);
  }
  return (a, b) => collator.compare(levels[a] as string, levels[b] as string) || ((levels[a] as string) < (levels[b] as string) ? -1 : 1);
}

/** R's factor() level order: indices into `levels`. */
export function levelOrder(levels: readonly string[]): number[] {
  return levels.map((_, i) => i).sort(levelComparator(levels));
}
