// A module-resolution hook for start-up tests: reports on stderr every TensorFlow.js module a process loads.
import { register } from 'node:module';

register('data:text/javascript,' + encodeURIComponent(`
export async function resolve(spec, ctx, next) {
  const r = await next(spec, ctx);
  if (r.url.includes('/@tensorflow/')) process.stderr.write('LOADED-TFJS ' + r.url + '\\n');
  return r;
}`));
