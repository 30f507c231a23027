#!/usr/bin/env node
// First step of `npm test` and `npm run demo`: installs npm dependencies when they are missing,
// and says in one line how to get a system package that is missing. Plain JS: runs before any install.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const need = process.argv.slice(2);

const lock = join(root, 'package-lock.json');
const marker = join(root, 'node_modules', '.package-lock.json');
if (!existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs) {
  console.error('lethe: installing npm dependencies (npm ci) ...');
  execSync('npm ci --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
}

// The UI is built once, and again whenever a file under web/ is newer than the build.
const newest = (dir) => readdirSync(dir, { withFileTypes: true }).reduce((t, e) => {
  if (e.name === 'dist' || e.name === 'node_modules') return t;
  const p = join(dir, e.name);
  return Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
}, 0);
const built = join(root, 'web', 'dist', 'index.html');
if (need.includes('web') && (!existsSync(built) || statSync(built).mtimeMs < Math.max(newest(join(root, 'web')), newest(join(root, 'src', 'shared'))))) {
  console.error('lethe: building the UI (npm run build:web) ...');
  execSync('npm run build:web --silent', { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}

const dataDir = process.env.LETHE_DATA_DIR ?? '/usr/share/datasets/fashion-mnist';
const missing = [];
if (need.includes('data') && !existsSync(join(dataDir, 'train-images-idx3-ubyte.gz')) && !existsSync(join(dataDir, 'train-images-idx3-ubyte'))) {
  missing.push(`Fashion-MNIST is not in ${dataDir}: install it with  sudo apt-get install dataset-fashion-mnist  (or set LETHE_DATA_DIR)`);
}
if (need.includes('chromium') && !existsSync(process.env.LETHE_CHROMIUM ?? '/usr/bin/chromium')) {
  missing.push('the browser tests need Chromium: install it with  sudo apt-get install chromium  (or set LETHE_CHROMIUM to its path)');
}
for (const m of missing) console.error(`lethe: ${m}`);
if (missing.length) process.exit(1);
