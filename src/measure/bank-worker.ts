// A model bank's worker thread (src/jobs/pool.ts): the backend, the original and the data loaded once, then one
// member after another. U-LiRA's shadows (./ulira.ts) run on the same threads: its setting says `kind: 'ulira'`.
import { initBackend } from '../engine/backend.ts';
import { serveJobs } from '../jobs/pool.ts';
import { loadCheckpoint } from '../models/checkpoint.ts';
import { bankContext, measureMember, type BankJob, type BankSetting } from './bank.ts';
import type { StoredMember } from '../store/banks.ts';
import { measureShadow, uliraContext, type ShadowJob, type ShadowOutputs, type UliraSetting } from './ulira.ts';

type Job = BankJob | ShadowJob;
type Handle = (job: Job) => Promise<StoredMember | ShadowOutputs>;

serveJobs(async (setting: BankSetting | UliraSetting): Promise<Handle> => {
  await initBackend();
  const original = await loadCheckpoint(setting.originalDir);
  if ('kind' in setting && setting.kind === 'ulira') {
    const u = uliraContext(original, setting);
    return (job) => measureShadow(u, job as ShadowJob);
  }
  const b = bankContext(original, setting as BankSetting);
  return (job) => measureMember(b, job as BankJob);
}, (handle, job: Job) => handle(job));
