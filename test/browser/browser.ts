import fs from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (installed by .ci/run); Playwright never downloads a browser here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-results', 'console');

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`no Chromium at ${CHROMIUM_PATH}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-dev-shm-usage'],
  });
}

/** A fresh browser profile (its own session storage) in a given language and time zone. */
export async function newContext(browser: Browser, baseURL: string, language: 'en' | 'fr' = 'en'): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL,
    locale: language === 'fr' ? 'fr-FR' : 'en-GB',
    timezoneId: language === 'fr' ? 'Europe/Paris' : 'Asia/Manila',
    viewport: { width: 1360, height: 900 },
  });
  await context.addInitScript(`localStorage.setItem('cyberops.console.language', '${language}')`);
  return context;
}

/** Axe on the page as it stands: the serious and critical violations, each as one readable line. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page: page as never }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

/** A full-page screenshot under test-results/console/ for a reviewer. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}
