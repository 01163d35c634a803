#!/usr/bin/env node
'use strict';
// The drawdown CLI. The TypeScript sources are bundled to out/cli by "npm run build".
const fs = require('node:fs');
const path = require('node:path');
const entry = path.join(__dirname, '..', 'out', 'cli', 'drawdown.cjs');
if (!fs.existsSync(entry)) {
  process.stderr.write('drawdown is not built yet: run "npm run setup" (or "npm run build") first.\n');
  process.exit(1);
}
require(entry);
