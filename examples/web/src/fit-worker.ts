/**
 * The Web Worker that fits: parses the CSV, fits with the plugins this page
 * ships (plugins.ts), renders the HTML report and posts it back.  The fit is
 * synchronous, so it runs here, off the page's thread; its progress events
 * are posted as they come.
 */
import { fitWithContainer, parseCsv, type FitProgress } from '@glmm/glmm/base';
import { renderHtml, reportRows } from '@glmm/report';
import type { FitJob, WorkerMessage } from './fit-messages.js';
import { webContainer } from './plugins.js';

interface WorkerScope {
  postMessage(message: WorkerMessage): void;
  onmessage: ((event: MessageEvent<FitJob>) => void) | null;
}
const scope = self as unknown as WorkerScope;

scope.onmessage = async (event) => {
  const job = event.data;
  try {
    scope.postMessage({ type: 'progress', stage: 'reading the CSV' });
    const data = parseCsv(job.csv);
    scope.postMessage({ type: 'progress', stage: 'fitting' });
    const results = fitWithContainer(webContainer, {
      formula: job.formula,
      data,
      family: job.family,
      ...(job.method ? { method: job.method } : {}),
      categorical: job.categorical,
      onProgress: (progress: FitProgress) => scope.postMessage({ type: 'progress', stage: 'fitting', progress }),
    });
    scope.postMessage({ type: 'progress', stage: 'drawing the report' });
    const start = performance.now();
    const html = await renderHtml(results, reportRows(results));
    scope.postMessage({
      type: 'done',
      html,
      reportSeconds: (performance.now() - start) / 1000,
      numbers: {
        fixedEffects: results.fixedEffects.map((f) => ({ name: f.name, estimate: f.estimate, stdError: f.stdError })),
        theta: results.theta,
        logLik: results.fit.logLik,
        deviance: results.fit.deviance,
        fitSeconds: results.timing.fitSeconds,
      },
    });
  } catch (err) {
    scope.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};
