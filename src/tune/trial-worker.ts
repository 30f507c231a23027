// A trial worker thread (./pool.ts): loads the backend, the tuning original and the tuning view once, then measures
// the trials it is sent, one at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from '../engine/backend.ts';
import { loadCheckpoint } from '../models/checkpoint.ts';
import type { TrialJob, TrialReply } from './pool.ts';
import { measureTrial, trialContext, type TrialSetting } from './trial.ts';

const port = parentPort!;
const send = (m: TrialReply) => port.postMessage(m);

const ready = (async () => {
  await initBackend();
  const setting = workerData as TrialSetting;
  const tuned = await loadCheckpoint(setting.tunedDir);
  return trialContext(tuned, setting);
})();

port.on('message', (job: TrialJob) => {
  ready
    .then((ctx) => measureTrial(ctx, job.method, job.params, job.seed))
    .then((values) => send({ id: job.id, values }), (e) => send({ id: job.id, error: ((e as Error)?.message ?? String(e)).split('\n')[0] }));
});
