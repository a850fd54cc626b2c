/**
 * The page: pick a CSV (or a bundled example), type a formula, choose the
 * family and method, fit in a Web Worker with a progress bar, read the HTML
 * report in a sandboxed frame.  Nothing is sent anywhere: the data stay in
 * the browser.
 */
import cbppCsv from '../../../packages/datasets/examples/cbpp.csv';
import sleepstudyCsv from '../../../packages/datasets/examples/sleepstudy.csv';
import type { FitJob, FitNumbers, WorkerMessage } from './fit-messages.js';

/** The families plugins.ts registers in the worker (not imported here, to keep the page's own script small). */
const FAMILIES = ['gaussian', 'binomial', 'poisson'];
const METHODS: readonly [string, string][] = [
  ['', 'default (REML for gaussian, Laplace otherwise)'],
  ['reml', 'REML'],
  ['ml', 'ML'],
  ['laplace', 'Laplace'],
  ['agq', 'adaptive Gauss-Hermite (one scalar term)'],
];
const EXAMPLES: Record<string, { csv: string; formula: string; family: string; categorical: string }> = {
  cbpp: { csv: cbppCsv, formula: 'cbind(incidence, size - incidence) ~ period + (1 | herd)', family: 'binomial', categorical: 'herd, period' },
  sleepstudy: { csv: sleepstudyCsv, formula: 'Reaction ~ Days + (Days | Subject)', family: 'gaussian', categorical: 'Subject' },
};

const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const form = byId<HTMLFormElement>('fit-form');
const fileInput = byId<HTMLInputElement>('csv');
const fileName = byId<HTMLSpanElement>('file-name');
const formula = byId<HTMLInputElement>('formula');
const family = byId<HTMLSelectElement>('family');
const method = byId<HTMLSelectElement>('method');
const categorical = byId<HTMLInputElement>('categorical');
const fitButton = byId<HTMLButtonElement>('fit');
const cancelButton = byId<HTMLButtonElement>('cancel');
const progress = byId<HTMLProgressElement>('progress');
const status = byId<HTMLSpanElement>('status');
const numbers = byId<HTMLPreElement>('numbers');
const report = byId<HTMLIFrameElement>('report');

for (const f of FAMILIES) family.add(new Option(f, f));
for (const [value, label] of METHODS) method.add(new Option(label, value));

let csvText: string | null = null;
let worker: Worker | null = null;
let started = 0;

function useExample(name: string): void {
  const ex = EXAMPLES[name]!;
  csvText = ex.csv;
  fileName.textContent = `${name}.csv (bundled example)`;
  formula.value = ex.formula;
  family.value = ex.family;
  categorical.value = ex.categorical;
}
for (const name of Object.keys(EXAMPLES)) byId<HTMLButtonElement>(`example-${name}`).addEventListener('click', () => useExample(name));

fileInput.addEventListener('change', async () => {
  const file = fileInput.files?.[0];
  if (!file) return;
  csvText = await file.text();
  fileName.textContent = file.name;
});

function setRunning(running: boolean): void {
  fitButton.disabled = running;
  cancelButton.disabled = !running;
  progress.hidden = !running;
}

function describeNumbers(n: FitNumbers): string {
  const fe = n.fixedEffects.map((f) => `  ${f.name}: ${f.estimate.toPrecision(7)} (SE ${f.stdError.toPrecision(5)})`).join('\n');
  return `logLik ${n.logLik.toPrecision(10)}, fit ${n.fitSeconds.toFixed(3)} s in the worker\nfixed effects:\n${fe}`;
}

function onMessage(message: WorkerMessage): void {
  if (message.type === 'progress') {
    const p = message.progress;
    const detail = p?.iteration !== undefined ? `: iteration ${p.iteration}${p.deviance !== undefined ? `, deviance ${p.deviance.toPrecision(8)}` : ''}` : '';
    status.textContent = `${message.stage}${detail} (${((performance.now() - started) / 1000).toFixed(1)} s)`;
    return;
  }
  setRunning(false);
  if (message.type === 'error') {
    status.textContent = `error: ${message.message}`;
    return;
  }
  const seconds = (performance.now() - started) / 1000;
  status.textContent = `done in ${seconds.toFixed(2)} s (report ${message.reportSeconds.toFixed(2)} s)`;
  numbers.hidden = false;
  numbers.textContent = describeNumbers(message.numbers);
  numbers.dataset['json'] = JSON.stringify(message.numbers);
  // srcdoc in a sandbox without allow-scripts: the report is static, and runs nothing even if it tried.
  report.srcdoc = message.html;
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  if (csvText === null) {
    status.textContent = 'choose a CSV file or an example first';
    return;
  }
  const job: FitJob = {
    csv: csvText,
    formula: formula.value,
    family: family.value,
    method: method.value,
    categorical: categorical.value.split(',').map((s) => s.trim()).filter((s) => s !== ''),
  };
  worker ??= new Worker(new URL('./fit-worker.js', import.meta.url), { type: 'module' });
  worker.onmessage = (e: MessageEvent<WorkerMessage>) => onMessage(e.data);
  worker.onerror = (e) => {
    setRunning(false);
    status.textContent = `error: ${e.message}`;
  };
  started = performance.now();
  numbers.hidden = true;
  setRunning(true);
  status.textContent = 'starting';
  worker.postMessage(job);
});

// A synchronous fit cannot be interrupted from inside: cancelling ends the worker, and the next fit starts a new one.
cancelButton.addEventListener('click', () => {
  worker?.terminate();
  worker = null;
  setRunning(false);
  status.textContent = 'cancelled';
});
