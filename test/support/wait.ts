/**
 * Polls until `check` returns a value that is not undefined. Fails if nothing changed for
 * `stallMs` (progress resets the clock), never after a fixed sleep.
 */
export async function waitFor<T>(
  check: () => Promise<T | undefined>,
  options: { stallMs?: number; intervalMs?: number; progress?: () => Promise<unknown>; what?: string } = {},
): Promise<T> {
  const stallMs = options.stallMs ?? 15_000;
  const intervalMs = options.intervalMs ?? 50;
  let lastProgress: unknown = undefined;
  let since = Date.now();
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (options.progress) {
      const now = JSON.stringify(await options.progress());
      if (now !== lastProgress) {
        lastProgress = now;
        since = Date.now();
      }
    }
    if (Date.now() - since > stallMs) throw new Error(`timed out waiting for ${options.what ?? 'condition'} (no progress for ${stallMs} ms)`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
