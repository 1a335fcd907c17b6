import { existsSync } from 'node:fs';

/** Chromium's flags: no sandbox (containers), and nothing of its own on the network. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * The report printed to PDF by Chromium through playwright-core: both are optional tools of the
 * operator's machine (playwright-core is a development dependency, Chromium a system package), so
 * a missing one is said plainly and the HTML report stands without the PDF. The page may load
 * nothing: every request is refused, and JavaScript is off.
 */
export async function printPdf(document: string, out: string, chromiumPath: string): Promise<void> {
  let playwright: typeof import('playwright-core');
  try {
    playwright = await import('playwright-core');
  } catch {
    throw new Error('--pdf needs playwright-core (npm install playwright-core) and Chromium; the HTML report was written');
  }
  if (!existsSync(chromiumPath)) throw new Error(`--pdf needs Chromium: none at ${chromiumPath} (install it, or set CHROMIUM_PATH); the HTML report was written`);
  const browser = await playwright.chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    await context.route('**/*', (route) => route.abort());
    const page = await context.newPage();
    await page.setContent(document, { waitUntil: 'load' });
    await page.pdf({ path: out, format: 'A4', printBackground: true, preferCSSPageSize: true });
  } finally {
    await browser.close();
  }
}
