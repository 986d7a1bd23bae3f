#!/usr/bin/env node
'use strict';
// The CLI is bundled with the extension's core (npm run build → dist/cli.js).
const path = require('node:path');
const fs = require('node:fs');
const cli = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(cli)) {
  process.stderr.write('oncall-lens: dist/cli.js is missing; run `npm run build` first.\n');
  process.exit(1);
}
const { main } = require(cli);
main(process.argv.slice(2), (s) => process.stdout.write(`${s}\n`), (s) => process.stderr.write(`${s}\n`)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`oncall-lens: ${e && e.stack ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  },
);
