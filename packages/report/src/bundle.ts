import { defineBundle, definePlugin, type PluginBundle } from '@glmm/core';
import { htmlReporter } from './html-reporter.js';
import { jsonReporter } from './json-reporter.js';
import { textReporter } from './text-reporter.js';

export const reportBundle: PluginBundle = defineBundle('@glmm/report', [
  definePlugin('reporter', textReporter.name, textReporter),
  definePlugin('reporter', jsonReporter.name, jsonReporter),
  definePlugin('reporter', htmlReporter.name, htmlReporter),
]);
