#!/usr/bin/env node
// dist/dockerlint.mjs is the bundled CLI (fast start-up); dist/cli.js the plain tsc output.
let cli;
try {
  cli = await import('../dist/dockerlint.mjs');
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND') throw e;
  cli = await import('../dist/cli.js');
}
process.exitCode = await cli.main(process.argv.slice(2));
