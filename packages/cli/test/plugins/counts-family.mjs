// A family plugin written as a user would, with no imports: a Poisson
// family under another name ("counts"), exported as a PluginBundle.  The
// CLI test loads it with --plugin and checks it fits exactly as "poisson".

function lgamma(x) {
  // Lanczos (g = 7, n = 9): ample for whole numbers y + 1.
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

const map = (n, f, out) => {
  const r = out ?? new Float64Array(n);
  for (let i = 0; i < n; i++) r[i] = f(i);
  return r;
};

const counts = {
  name: 'counts',
  canonicalLink: 'log',
  allowedLinks: ['log', 'identity', 'sqrt'],
  hasDispersion: false,
  meanSpace: { lower: 0, upper: Infinity },
  isCanonical: (link) => link.name === 'log',
  variance: (mu, out) => map(mu.length, (i) => mu[i], out),
  varianceDerivative: (mu, out) => map(mu.length, () => 1, out),
  devResiduals: (y, mu, wt, out) =>
    map(y.length, (i) => 2 * wt[i] * ((y[i] > 0 ? y[i] * Math.log(y[i] / mu[i]) : 0) - (y[i] - mu[i])), out),
  aic(y, _n, mu, wt) {
    let s = 0;
    for (let i = 0; i < y.length; i++) s += wt[i] * ((y[i] > 0 ? y[i] * Math.log(mu[i]) : 0) - mu[i] - lgamma(y[i] + 1));
    return -2 * s;
  },
  validMu: (mu) => mu.every((m) => m > 0 && Number.isFinite(m)),
  checkResponse: (y) => (y.every((v) => v >= 0 && Number.isInteger(v)) ? null : 'values must be non-negative whole numbers'),
  startingMu: (y, _wt, out) => map(y.length, (i) => y[i] + 0.1, out),
  latentResidualVariance: () => null,
};

export default { id: 'counts-family-example', plugins: [{ kind: 'family', name: 'counts', value: counts }] };
