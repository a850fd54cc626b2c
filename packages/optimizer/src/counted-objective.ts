/**
 * Wraps an objective so that every evaluation is counted and a NaN (or any
 * non-number) reads as +Infinity: optimisers then treat "outside the domain"
 * and "undefined" alike and never compare against NaN.
 */
export interface CountedObjective {
  (x: Float64Array): number;
  readonly count: number;
}

export function countedObjective(objective: (x: Float64Array) => number): CountedObjective {
  let count = 0;
  const wrapped = ((x: Float64Array): number => {
    count++;
    // A copy, so an objective that keeps or edits its argument cannot corrupt the simplex or iterate.
    const value = objective(Float64Array.from(x));
    return Number.isNaN(value) ? Infinity : value;
  }) as CountedObjective;
  Object.defineProperty(wrapped, 'count', { get: () => count });
  return wrapped;
}
