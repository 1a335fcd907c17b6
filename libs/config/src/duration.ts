/** Parses `N/window` rate limits (`20/10m`) and plain durations (`10m`, `30s`, `24h`, `1d`). */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDurationMs(text: string): number | null {
  const match = /^(\d{1,9})(ms|s|m|h|d)$/.exec(text.trim());
  if (!match) return null;
  const value = Number(match[1]) * UNIT_MS[match[2]];
  return value > 0 ? value : null;
}

export interface RateLimit {
  max: number;
  windowMs: number;
}

/** `off` disables the limit (benchmarks); otherwise `N/window`. */
export function parseRateLimit(text: string): RateLimit | 'off' | null {
  if (text.trim() === 'off') return 'off';
  const [count, window] = text.split('/');
  if (!count || !window || !/^\d{1,9}$/.test(count.trim())) return null;
  const windowMs = parseDurationMs(window);
  const max = Number(count);
  return windowMs && max > 0 ? { max, windowMs } : null;
}
