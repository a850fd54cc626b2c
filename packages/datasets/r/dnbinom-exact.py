"""The NB2 log density from its definition in 60-digit arithmetic (mpmath):
log Gamma(x + size) - log Gamma(size) - log x! + size log(size/(size + mu)) + x log(mu/(size + mu)).

R 4.2.2's dnbinom loses up to 0.5 in absolute value (5e-7 relative) for shapes of
1e12 and more with large means, so the density's unit tests check against these
values as well.  Writes packages/datasets/family-references/dnbinom-exact.json for
the grid of make-family-values.R (run that first).

Usage (from the repository root): python3 packages/datasets/r/dnbinom-exact.py
"""
import json

import mpmath as mp

mp.mp.dps = 60
SRC = 'packages/datasets/family-references/family-values.json'
OUT = 'packages/datasets/family-references/dnbinom-exact.json'


def nb_log(x, size, mu):
    x, size, mu = mp.mpf(x), mp.mpf(size), mp.mpf(mu)
    return (mp.loggamma(x + size) - mp.loggamma(size) - mp.loggamma(x + 1)
            + size * mp.log(size / (size + mu)) + x * mp.log(mu / (size + mu)))


rows = []
for r in json.load(open(SRC))['dnbinom']:
    if isinstance(r['size'], str) or isinstance(r['log'], str) or r['mu'] == 0:
        continue
    rows.append({'x': r['x'], 'size': r['size'], 'mu': r['mu'], 'log': float(nb_log(r['x'], r['size'], r['mu']))})
json.dump({'source': 'mpmath %s, 60 digits' % mp.__version__, 'script': 'packages/datasets/r/dnbinom-exact.py',
           'dnbinom': rows}, open(OUT, 'w'), indent=1)
print('wrote', OUT, len(rows), 'values')
