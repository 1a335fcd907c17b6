/** Starting and stopping the built servers a benchmark measures. */
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

// The servers run with the flags `npm start` gives the apps (scripts/start.js), plus any in
// BENCH_NODE_FLAGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to see where a server's time goes).
const SERVER_FLAGS = ['--max-semi-space-size=64', ...(process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean)];

export function startServer(script: string, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [...SERVER_FLAGS, join(ROOT, script)], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
}

export async function waitReady(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} never became ready`);
}

/** SIGTERM, then SIGKILL if it has not exited after `graceMs`. A process killed by a signal has exitCode null and signalCode set. */
export async function stopServer(child: ChildProcess, graceMs = 20_000): Promise<void> {
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  if (exited()) return;
  const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    if (!exited()) {
      process.stderr.write(`bench: pid ${child.pid} did not exit ${graceMs} ms after SIGTERM, sending SIGKILL\n`);
      child.kill('SIGKILL');
    }
  }, graceMs);
  await done;
  clearTimeout(timer);
}
