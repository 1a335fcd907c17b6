#!/usr/bin/env node
// `npm start`: build if needed, apply migrations once (under the advisory lock), then run
// intake-api, console-api and worker side by side. SIGINT/SIGTERM stop all three gracefully;
// if one dies, the others are stopped too and the exit code says so.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const { join } = require('node:path');

const root = join(__dirname, '..');
const run = (args) => spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });

let result = run([join(__dirname, 'build.js'), '--quiet']);
if (result.status !== 0) process.exit(result.status ?? 1);
result = run([join(root, 'dist/apps/cli/src/main.js'), 'db:migrate']);
if (result.status !== 0) process.exit(result.status ?? 1);

const apps = ['intake-api', 'console-api', 'worker'];
// A larger young generation: request handling allocates many short-lived objects, and with
// V8's default the scavenger ran often enough to cost intake several percent of its CPU.
const SERVER_FLAGS = ['--max-semi-space-size=64'];
const children = apps.map((app) => {
  const child = spawn(process.execPath, [...SERVER_FLAGS, join(root, `dist/apps/${app}/src/main.js`)], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code, signal) => onExit(app, code, signal));
  return child;
});

let stopping = false;
let exitCode = 0;
let running = children.length;

function stopAll(signal) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill(signal);
  // A bounded drain: whatever has not stopped in 20 s is killed.
  setTimeout(() => children.forEach((child) => child.exitCode === null && child.kill('SIGKILL')), 20_000).unref();
}

function onExit(app, code, signal) {
  running--;
  if (!stopping) {
    console.error(`${app} exited (${signal ?? code}); stopping the others`);
    exitCode = code || 1;
    stopAll('SIGTERM');
  }
  if (running === 0) process.exit(exitCode);
}

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stopAll('SIGTERM'));
