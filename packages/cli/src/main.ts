import { runCli } from './run.js';

const code = await runCli(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  stderrIsTTY: process.stderr.isTTY === true,
  ...(process.stderr.columns ? { stderrColumns: process.stderr.columns } : {}),
});
// exitCode rather than exit(): pending stdout writes to a pipe must drain first.
process.exitCode = code;
