// The `lethe` command, precompiled: src/cli/main.ts and what it imports from src/, bundled by esbuild into dist/cli/
// (one chunk per lazily loaded command), so that starting a command costs no TypeScript compilation. npm packages
// stay external and load from node_modules as they do from the sources. Built at `npm ci` and by `npm test` /
// `npm run demo` when stale; bin/lethe.js runs it only while it is up to date with every source it was built from,
// and runs the sources through tsx otherwise. Plain JS: it runs before anything is compiled.
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const OUT = join(ROOT, 'dist', 'cli');

/** The bundle's entry (a file URL) when it is current: built, and no source it was built from changed or vanished since. */
export function freshEntry(out = OUT) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(out, 'build.json'), 'utf8'));
    for (const f of stamp.inputs) if (statSync(resolve(ROOT, f)).mtimeMs > stamp.builtAt) return undefined;
  } catch {
    return undefined;
  }
  return pathToFileURL(join(out, stamp.entry)).href;
}

/**
 * Sources keep their own `import.meta.url` (package.json, onnx.proto, the job worker and the native addon are found
 * relative to the source file, as when tsx runs them), so a bundled module behaves as its source does.
 */
const sourceUrls = {
  name: 'source-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
      loader: 'ts',
    }));
  },
};

/** Builds the bundle into a fresh folder and swaps it in; returns the number of sources it holds. */
export async function buildCli() {
  const { build } = await import('esbuild');
  const builtAt = Date.now();
  const tmp = `${OUT}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const r = await build({
    absWorkingDir: ROOT,
    entryPoints: { main: 'src/cli/main.ts' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outdir: tmp,
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'error',
    plugins: [sourceUrls],
  });
  const inputs = Object.keys(r.metafile.inputs).map((f) => relative(ROOT, resolve(ROOT, f)));
  // The stamp's time is taken before reading the sources: a file saved during the build makes the bundle stale.
  writeFileSync(join(tmp, 'build.json'), JSON.stringify({ builtAt, entry: 'main.js', inputs }));
  mkdirSync(dirname(OUT), { recursive: true });
  rmSync(OUT, { recursive: true, force: true });
  renameSync(tmp, OUT);
  return inputs.length;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const n = await buildCli();
    if (!process.argv.includes('--quiet')) console.error(`lethe: command-line bundle built (${n} sources) in ${relative(process.cwd(), OUT) || '.'}`);
  } catch (e) {
    // Never fatal: bin/lethe.js runs the sources through tsx without it.
    console.error(`lethe: command-line bundle not built (${e.message.split('\n')[0]}); lethe runs from the sources meanwhile`);
  }
}
