/** Test objectives with minima known in closed form. */

export function rosenbrock(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i + 1 < x.length; i++) s += 100 * (x[i + 1]! - x[i]! ** 2) ** 2 + (1 - x[i]!) ** 2;
  return s;
}

/**
 * (x0 + 1/2)^2 + (x1 - 2)^2 + 0.3 x0 x1 with x0 >= 0. The unconstrained
 * minimum has x0 < 0; on x0 = 0 the minimum is x1 = 2 (f = 1/4), where
 * df/dx0 = 1 + 0.3 * 2 = 1.6 > 0 points out of the box: a KKT point.
 */
export function boundedQuadratic(x: Float64Array): number {
  return (x[0]! + 0.5) ** 2 + (x[1]! - 2) ** 2 + 0.3 * x[0]! * x[1]!;
}
export const BOUNDED_QUADRATIC_MIN = { x: [0, 2], f: 0.25 };

/**
 * x - log x + 3 (y - 1)^2 + x y: undefined (NaN from Math.log) for x < 0 and
 * +Infinity at x = 0. Stationarity: 1 - 1/x + y = 0 and 6 (y - 1) + x = 0, so
 * x^2 - 12 x + 6 = 0, x = 6 - sqrt(30), y = 1 - x / 6.
 */
export function logBarrier(x: Float64Array): number {
  return x[0]! - Math.log(x[0]!) + 3 * (x[1]! - 1) ** 2 + x[0]! * x[1]!;
}
const xStar = 6 - Math.sqrt(30);
export const LOG_BARRIER_MIN = { x: [xStar, 1 - xStar / 6], f: 0 };
LOG_BARRIER_MIN.f = logBarrier(Float64Array.from(LOG_BARRIER_MIN.x));

/**
 * A deviance-like objective: 812.5 plus badly scaled convex terms, minimum
 * 812.5 at c. With u = x - c: sum_i w_i (exp(u_i) - u_i - 1) + (u_0 u_1)^2 + 40 u_2^2 u_0^2.
 */
export const DEVIANCE_CENTRE = [0.8, -1.3, 2.5];
export const DEVIANCE_MIN = 812.5;
export function devianceLike(x: Float64Array): number {
  const w = [350, 4, 9000];
  let s = DEVIANCE_MIN;
  const u = [x[0]! - DEVIANCE_CENTRE[0]!, x[1]! - DEVIANCE_CENTRE[1]!, x[2]! - DEVIANCE_CENTRE[2]!];
  for (let i = 0; i < 3; i++) s += w[i]! * (Math.exp(u[i]!) - u[i]! - 1);
  return s + (u[0]! * u[1]!) ** 2 + 40 * u[2]! ** 2 * u[0]! ** 2;
}

/**
 * The theta-dependent part of the profiled ML deviance of a balanced one-way
 * random-intercept model (J groups of size m, N = J m, between-group sum of
 * squares B, within-group W), theta = sigma_b / sigma:
 * J log(a) + N log(W + B / a) with a = 1 + m theta^2.
 * Setting the derivative in a to zero gives a* = B (m - 1) / W, so
 * theta* = sqrt((a* - 1) / m) when a* > 1 and theta* = 0 (on the bound) otherwise.
 */
export function oneWayDeviance(J: number, m: number, B: number, W: number): (x: Float64Array) => number {
  const N = J * m;
  return (x) => {
    const a = 1 + m * x[0]! ** 2;
    return J * Math.log(a) + N * Math.log(W + B / a);
  };
}

export function oneWayThetaStar(J: number, m: number, B: number, W: number): number {
  const a = (B * (m - 1)) / W;
  return a > 1 ? Math.sqrt((a - 1) / m) : 0;
}
