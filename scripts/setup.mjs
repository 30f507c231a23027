#!/usr/bin/env node
// First step of `npm test` and `npm run demo`: installs npm dependencies when they are missing,
// and says in one line how to get a system package that is missing. Plain JS: runs before any install.
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const need = process.argv.slice(2);

const lock = join(root, 'package-lock.json');
const marker = join(root, 'node_modules', '.package-lock.json');
if (!existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs) {
  console.error('lethe: installing npm dependencies (npm ci) ...');
  execSync('npm ci --no-audit --no-fund', { cwd: root, stdio: 'inherit', env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' } });
}

// The command-line bundle (scripts/cli-bundle.mjs) again whenever a source it holds changed; without it lethe runs the
// sources through tsx, slower to start but the same.
const { freshEntry, buildCli } = await import('./cli-bundle.mjs');
if (!freshEntry()) await buildCli().catch((e) => console.error(`lethe: command-line bundle not built (${e.message.split('\n')[0]})`));

// The UI is built once, and again whenever a file under web/ is newer than the build.
const newest = (dir) => readdirSync(dir, { withFileTypes: true }).reduce((t, e) => {
  if (e.name === 'dist' || e.name === 'node_modules') return t;
  const p = join(dir, e.name);
  return Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
}, 0);
const built = join(root, 'web', 'dist', 'index.html');
// The UI bundles web/ and the browser-safe parts of src/ it imports (the contract, the metric map, the forget kinds).
const sources = [join(root, 'web'), ...['shared', 'eval', 'data'].map((d) => join(root, 'src', d))];
if (need.includes('web') && (!existsSync(built) || statSync(built).mtimeMs < Math.max(...sources.map(newest)))) {
  console.error('lethe: building the UI (npm run build:web) ...');
  execSync('npm run build:web --silent', { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}

const dataDir = process.env.LETHE_DATA_DIR ?? '/usr/share/datasets/fashion-mnist';
const missing = [];
if (need.includes('data') && !existsSync(join(dataDir, 'train-images-idx3-ubyte.gz')) && !existsSync(join(dataDir, 'train-images-idx3-ubyte'))) {
  missing.push(`Fashion-MNIST is not in ${dataDir}: install it with  sudo apt-get install dataset-fashion-mnist  (or set LETHE_DATA_DIR)`);
}
/** apt-get as root, or through sudo when it needs no password; undefined when neither can install without asking. */
function aptGet() {
  if (!existsSync('/usr/bin/apt-get')) return undefined;
  if (process.getuid?.() === 0) return (args) => spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'] }).status === 0;
  if (spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0) {
    return (args) => spawnSync('sudo', ['-n', 'apt-get', ...args], { stdio: ['ignore', 'ignore', 'inherit'] }).status === 0;
  }
  return undefined;
}

const chromium = process.env.LETHE_CHROMIUM ?? '/usr/bin/chromium';
if (need.includes('chromium') && !existsSync(chromium) && !process.env.LETHE_CHROMIUM) {
  const apt = aptGet();
  if (apt) {
    console.error('lethe: installing Chromium for the browser tests (apt-get install chromium) ...');
    const install = ['install', '-y', '--no-install-recommends', 'chromium'];
    // The package lists may be missing on a fresh machine: update them once if the first try fails.
    if (!apt(install)) apt(['update']) && apt(install);
  }
}
if (need.includes('chromium') && !existsSync(chromium)) {
  missing.push('the browser tests need Chromium: install it with  sudo apt-get install chromium  (or set LETHE_CHROMIUM to its path)');
}
for (const m of missing) console.error(`lethe: ${m}`);
if (missing.length) process.exit(1);
