/** Bad input or usage: the command prints the message and exits with 2 (nothing was changed). */
export class UsageError extends Error {}

/** Bounded list of problems for stderr: the first `max` in full, then how many more there were. */
export function problemList(problems: readonly string[], total: number, max = 100): string {
  const shown = problems.slice(0, max).map((problem) => `  ${problem}`);
  if (total > shown.length) shown.push(`  ... and ${total - shown.length} more`);
  return shown.join('\n');
}
