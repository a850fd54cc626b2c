/**
 * A value computed at one theta (a solution, an inverse's diagonal) that is
 * handed out again only for that exact theta, so the fit at the optimum can
 * reuse what the search's last evaluation left instead of computing it again.
 */
export class ThetaKeyed<T> {
  private theta: Float64Array | null = null;
  private value: T | null = null;

  clear(): void {
    this.theta = null;
    this.value = null;
  }

  set(theta: Float64Array, value: T): void {
    this.theta = Float64Array.from(theta);
    this.value = value;
  }

  /** The value when it was set at exactly this theta, else null. */
  at(theta: Float64Array): T | null {
    const held = this.theta;
    if (held === null || held.length !== theta.length) return null;
    for (let i = 0; i < held.length; i++) if (held[i] !== theta[i]) return null;
    return this.value;
  }
}
