// PQL against MASS::glmmPQL on the benchmark's synthetic 1e5-row data (the
// same CSV for both sides): y ~ x1 + x2 + (1 | g), 1000 groups.
// Usage (after `npm run build`): node packages/estimator-pql/bench/glmmpql-compare.mjs [--runs N]
// Our side: median of N fits in this process (default 5), timing.fitSeconds
// and CPU time; glmmPQL: median of 3 system.time() runs in one R process
// (elapsed, and user + system).  CPU time is the steadier figure on a
// machine shared with other work.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ensureSyntheticCsv } from '@glmm/bench';
import { fitGlmm, readCsvFile } from '@glmm/glmm';

const here = fileURLToPath(new URL('.', import.meta.url));
const runsAt = process.argv.indexOf('--runs');
const runs = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 5;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const [family, seed] of [
  ['binomial', 301],
  ['poisson', 201],
]) {
  const { path } = ensureSyntheticCsv({ family, n: 100_000, seed }, `${here}.data`);
  const data = readCsvFile(path);
  const times = [];
  const cpu = [];
  let ours;
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    ours = fitGlmm({ formula: 'y ~ x1 + x2 + (1 | g)', data, family, method: 'pql' });
    const c = process.cpuUsage(c0);
    times.push(ours.timing.fitSeconds);
    cpu.push((c.user + c.system) / 1e6);
  }
  const out = execFileSync('Rscript', [`${here}glmmpql-fit.R`, path, family, '3'], { encoding: 'utf8' });
  const r = JSON.parse(out.split('\n').find((l) => l.startsWith('GLMMPQL_RESULT ')).slice('GLMMPQL_RESULT '.length));
  const dBeta = Math.max(...ours.fixedEffects.map((f, i) => Math.abs(f.estimate - r.beta[i])));
  const dSe = Math.max(...ours.fixedEffects.map((f, i) => Math.abs(f.stdError - r.se[i])));
  const sd = ours.varianceComponents.find((v) => v.group === 'g').stdDev;
  console.log(
    `${family}-1e5: ours ${median(times).toFixed(3)} s (${ours.convergence.iterations} PL iterations), ` +
      `glmmPQL ${median(r.seconds).toFixed(3)} s, ratio ${(median(r.seconds) / median(times)).toFixed(1)}x; ` +
      `CPU ours ${median(cpu).toFixed(3)} s, glmmPQL ${median(r.cpuSeconds).toFixed(3)} s, ratio ${(median(r.cpuSeconds) / median(cpu)).toFixed(1)}x; ` +
      `max |d beta| ${dBeta.toExponential(2)}, max |d SE| ${dSe.toExponential(2)}, ` +
      `|d sigma| ${Math.abs(ours.sigma - r.sigma).toExponential(2)}, |d SD(g)| ${Math.abs(sd - r.sdGroup).toExponential(2)}`,
  );
}
