#!/usr/bin/env node
// The single-file bundle (made by the root build) starts several times faster
// than loading every package module; the unbundled build is the fallback.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/glmm.bundle.mjs', import.meta.url);
await import(existsSync(bundle) ? bundle.href : new URL('../dist/main.js', import.meta.url).href);
