// `npm ci` / `npm install` hook: builds the native backend's addon from source against the
// running Node's own headers (node-gyp --nodedir, so nothing is downloaded). It never fails
// the install: when the build is impossible it says why in one line, and Lethe runs on wasm.
//   node src/engine/native/install.mjs      (re-run by hand after installing what it names)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const BUILD = join(HERE, 'build');
const ADDON = join(BUILD, 'Release', 'lethe_native.node');
const HOW = 'to get it: apt-get install g++ make python3 libopenblas-dev, then npm ci (or node src/engine/native/install.mjs)';

function finish(ok, reason) {
  try {
    // An addon left from an earlier build would contradict the message.
    if (!ok) rmSync(ADDON, { force: true });
    mkdirSync(BUILD, { recursive: true });
    writeFileSync(join(BUILD, 'status.json'), JSON.stringify({ ok, reason, node: process.version, date: new Date().toISOString() }) + '\n');
  } catch {
    // A read-only tree: the runtime then says "not built" without the reason.
  }
  console.log(ok ? `lethe: native backend built (${reason})` : `lethe: native backend not built: ${reason}; ${HOW}. Lethe runs on wasm meanwhile.`);
  process.exit(0);
}

const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { encoding: 'utf8', timeout: 600_000, ...opts });
const works = (cmd, args = ['--version']) => {
  const r = run(cmd, args);
  return r.status === 0 && !r.error;
};
/** The last line of a failed command's output that says what went wrong. */
function lastError(r) {
  const lines = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.split('\n').map((l) => l.trim()).filter(Boolean);
  const err = lines.filter((l) => /error|fatal|not found|cannot/i.test(l) && !/^gyp (ERR|info)/.test(l));
  return (err.at(0) ?? lines.at(-1) ?? r.error?.message ?? `exit code ${r.status}`).slice(0, 200);
}

if (process.env.LETHE_NATIVE === '0') finish(false, 'LETHE_NATIVE=0 is set');
if (process.platform !== 'linux') finish(false, `${process.platform} is not supported yet (Linux only)`);

// Node's headers: npm_config_nodedir if set, else the prefix of this node (/usr/bin/node -> /usr).
const nodedir = process.env.npm_config_nodedir || dirname(dirname(process.execPath));
if (!existsSync(join(nodedir, 'include', 'node', 'node_api.h'))) {
  finish(false, `no Node headers in ${join(nodedir, 'include', 'node')} (Debian's nodejs needs libnode-dev; or set npm_config_nodedir)`);
}

const cxx = process.env.CXX || 'g++';
const missing = [cxx, 'make', 'python3'].filter((cmd) => !works(cmd));
if (missing.length) finish(false, `not found: ${missing.join(', ')}`);

// OpenBLAS: a one-line program that includes cblas.h and links libopenblas.
{
  const dir = mkdtempSync(join(tmpdir(), 'lethe-blas-'));
  const probe = run(cxx, ['-x', 'c++', '-', '-o', join(dir, 'probe'), '-lopenblas'], {
    input: '#include <cblas.h>\nint main() { return openblas_get_num_threads() < 0; }\n',
  });
  rmSync(dir, { recursive: true, force: true });
  if (probe.status !== 0) finish(false, `OpenBLAS (cblas.h, libopenblas) not found: ${lastError(probe)}`);
}

const require = createRequire(import.meta.url);
try {
  require.resolve('node-addon-api');
} catch {
  finish(false, 'the node-addon-api package is missing (npm ci installs it)');
}

// node-gyp ships inside npm; npm names it in lifecycle scripts, else look beside this node.
const gyp = [process.env.npm_config_node_gyp, join(nodedir, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')]
  .find((p) => p && existsSync(p));
if (!gyp) finish(false, 'node-gyp not found (it ships with npm)');

const build = run(process.execPath, [gyp, 'rebuild', `--nodedir=${nodedir}`], { cwd: HERE, env: { ...process.env, npm_config_nodedir: nodedir } });
if (build.status !== 0 || !existsSync(ADDON)) {
  try {
    mkdirSync(BUILD, { recursive: true });
    writeFileSync(join(BUILD, 'build.log'), `${build.stdout ?? ''}\n${build.stderr ?? ''}`);
  } catch {}
  finish(false, `the build failed: ${lastError(build)} (log: ${join(BUILD, 'build.log')})`);
}

// Load it once in a child, so a missing runtime library shows now rather than at first use.
const load = run(process.execPath, ['-e', `console.log(require(${JSON.stringify(ADDON)}).blasInfo().config)`]);
if (load.status !== 0) {
  rmSync(ADDON, { force: true });
  finish(false, `the built addon does not load: ${lastError(load)}`);
}
finish(true, `${load.stdout.trim()}, Node headers from ${nodedir}`);
