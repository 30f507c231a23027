// What the browser tests share: the UI built from source into a folder, and Debian's Chromium through
// playwright-core (never a downloaded browser).
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
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
