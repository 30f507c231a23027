// What the browser tests share: the UI built from source into a folder, and Debian's Chromium through
// playwright-core (never a downloaded browser).
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { REPO_ROOT } from '../../src/data/registry.ts';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Builds web/ into `outDir` (the current sources, whatever web/dist holds). */
export async function buildWeb(outDir: string): Promise<string> {
  await build({ configFile: join(REPO_ROOT, 'web/vite.config.ts'), build: { outDir, emptyOutDir: true }, logLevel: 'warn' });
  return outDir;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.LETHE_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/**
 * A 1440 × 900 page that collects page errors and console errors into `errors`; `ignore` names console errors a
 * test provokes on purpose.
 */
export async function errorCollectingPage(browser: Browser, errors: string[], ignore?: RegExp): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && !ignore?.test(m.text()) && errors.push(m.text()));
  return page;
}
