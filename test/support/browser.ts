// What the browser tests share: the UI built from source into a folder, a server on a fresh store, and Debian's
// Chromium through playwright-core (never a downloaded browser).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { REPO_ROOT } from '../../src/data/registry.ts';
import { startServer, type RunningServer } from '../../src/server/server.ts';

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

/** Where every browser test writes its screenshots (LETHE_SCREENSHOTS overrides). */
export const SHOTS = resolve(REPO_ROOT, process.env.LETHE_SCREENSHOTS ?? 'test-results/screenshots');

/** What a browser test runs against: a fresh LETHE_HOME, a real server on a real SQLite store there, Chromium and a page. */
export interface BrowserRig {
  home: string;
  server: RunningServer;
  browser: Browser;
  page: Page;
}

export interface RigOptions {
  /** Errors the page reports (page errors, console errors) are collected here; `ignore` names ones a test provokes. */
  errors: string[];
  ignore?: RegExp;
  token?: string;
  maxJobs?: number;
}

/**
 * Every browser test's start: a fresh LETHE_HOME under the temp folder (named `prefix…`), the UI built from the current
 * sources into it, the server on `lethe.db` there serving that build, Chromium and one 1440 × 900 page.
 */
export async function openRig(prefix: string, { errors, ignore, token, maxJobs = 1 }: RigOptions): Promise<BrowserRig> {
  const home = mkdtempSync(join(tmpdir(), prefix));
  process.env.LETHE_HOME = home;
  mkdirSync(SHOTS, { recursive: true });
  const dist = await buildWeb(join(home, 'web-dist'));
  const server = await startServer({ port: 0, storePath: join(home, 'lethe.db'), webDist: dist, token, maxJobs });
  const browser = await launchChromium();
  return { home, server, browser, page: await errorCollectingPage(browser, errors, ignore) };
}

/** Closes what openRig opened (whatever of it was opened) and removes the home folder. */
export async function closeRig(rig: Partial<BrowserRig> | undefined): Promise<void> {
  await rig?.browser?.close();
  await rig?.server?.close();
  if (rig?.home) rmSync(rig.home, { recursive: true, force: true });
}
