// A module-resolution hook for start-up tests: reports on stderr every TensorFlow.js module a process loads
// (LOADED-TFJS) and whether it loads tsx to compile the sources (LOADED-TSX), i.e. did not run the bundle.
import { register } from 'node:module';

register('data:text/javascript,' + encodeURIComponent(`
export async function resolve(spec, ctx, next) {
  const r = await next(spec, ctx);
  if (r.url.includes('/@tensorflow/')) process.stderr.write('LOADED-TFJS ' + r.url + '\\n');
  if (r.url.includes('/node_modules/tsx/')) process.stderr.write('LOADED-TSX ' + r.url + '\\n');
  return r;
}`));
