#!/usr/bin/env node
// Builds dist/ with tsc (+ tsc-alias for the @hotline/* paths) when a source file is newer than
// the last build. `--force` always builds; `--quiet` prints nothing when up to date.
// Why not `nest build`: one tsc pass for all apps is faster on small machines than one per app;
// see docs/adr/0002-build-with-tsc.md.
'use strict';
const { execFileSync } = require('node:child_process');
const { cpSync, existsSync, readdirSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const stamp = join(root, 'dist', '.build-stamp');
const args = new Set(process.argv.slice(2));

if (!existsSync(join(root, 'node_modules', 'typescript'))) {
  console.error('Dependencies are not installed: run `npm install` first.');
  process.exit(1);
}

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    max = Math.max(max, newest(join(path, entry)));
  }
  return max;
}

const inputs = ['apps', 'libs', 'bench', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'].map((p) => join(root, p)).filter(existsSync);
const upToDate = !args.has('--force') && existsSync(stamp) && statSync(stamp).mtimeMs >= Math.max(...inputs.map(newest));
if (upToDate) {
  if (!args.has('--quiet')) console.log('build: dist is up to date');
  process.exit(0);
}
const bin = (name) => join(root, 'node_modules', '.bin', name);
console.error('build: compiling TypeScript...');
execFileSync(bin('tsc'), ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
execFileSync(bin('tsc-alias'), ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
// Files the apps read at run time next to their modules (the console's stylesheet and script).
for (const dir of ['apps/console-api/src/console-web/assets']) cpSync(join(root, dir), join(root, 'dist', dir), { recursive: true });
writeFileSync(stamp, new Date().toISOString());
console.error('build: done');
