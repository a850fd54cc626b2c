import { escapeHtml, htmlReporter, jsonReporter, textReporter } from '../src/index.js';
import { runReporterConformance } from '@glmm/testing';

runReporterConformance(textReporter);
runReporterConformance(jsonReporter, { encode: (s) => JSON.stringify(s).slice(1, -1) });
runReporterConformance(htmlReporter, { encode: escapeHtml });
