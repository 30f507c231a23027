// A model bank's worker thread (src/jobs/pool.ts): the backend, the original and the data loaded once, then one
// member after another.
import { initBackend } from '../engine/backend.ts';
import { serveJobs } from '../jobs/pool.ts';
import { loadCheckpoint } from '../models/checkpoint.ts';
import { bankContext, measureMember, type BankJob, type BankSetting } from './bank.ts';

serveJobs(async (setting: BankSetting) => {
  await initBackend();
  return bankContext(await loadCheckpoint(setting.originalDir), setting);
}, (b, job: BankJob) => measureMember(b, job));
