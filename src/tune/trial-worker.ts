// A trial worker thread of lethe tune (src/jobs/pool.ts): the backend, the tuning original and the tuning view
// loaded once, then one trial after another.
import { initBackend } from '../engine/backend.ts';
import { serveJobs } from '../jobs/pool.ts';
import { loadCheckpoint } from '../models/checkpoint.ts';
import { measureTrial, trialContext, type TrialJob, type TrialSetting } from './trial.ts';

serveJobs(async (setting: TrialSetting) => {
  await initBackend();
  return trialContext(await loadCheckpoint(setting.tunedDir), setting);
}, (ctx, job: TrialJob) => measureTrial(ctx, job.method, job.params, job.seed));
