/**
 * A queue name (Latin letters and hyphens) inside a sentence of any direction: isolated with
 * FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE, so an Arabic sentence does not reorder it,
 * and its hyphens non-breaking, so a narrow button does not split it in two.
 */
export function isolatedQueueName(name: string): string {
  return `\u2068${name.replace(/-/g, '\u2011')}\u2069`;
}
