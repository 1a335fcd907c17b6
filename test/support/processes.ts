import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Builds dist/ if a source changed (tests that run the real processes need it). */
export function ensureBuilt(): void {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.js'), '--quiet'], { cwd: ROOT, stdio: 'inherit' });
}

/** A built app running as its own process, with everything it prints captured. */
export class AppProcess {
  output = '';
  private constructor(readonly child: ChildProcess) {
    child.stdout!.on('data', (chunk) => (this.output += chunk));
    child.stderr!.on('data', (chunk) => (this.output += chunk));
  }

  static async start(app: 'intake-api' | 'console-api' | 'worker' | 'cli', env: NodeJS.ProcessEnv, healthUrl?: string, args: string[] = []): Promise<AppProcess> {
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'apps', app, 'src', 'main.js'), ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const proc = new AppProcess(child);
    if (healthUrl) {
      const deadline = Date.now() + 30_000;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`${app} exited early: ${proc.output}`);
        try {
          if ((await fetch(healthUrl)).ok) break;
        } catch {
          // not listening yet
        }
        if (Date.now() > deadline) throw new Error(`${app} did not become ready: ${proc.output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    return proc;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    // A process killed by a signal has no exit code, only a signalCode.
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.child.exitCode;
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
    this.child.kill(signal);
    return exited;
  }
}
