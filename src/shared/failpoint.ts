// Failpoints for crash tests: with LETHE_FAILPOINT=<name>, the process kills itself (SIGKILL, as kill -9 would) when
// it reaches that point, so a test can stop a real process at an exact step. Unset, each is one comparison.
// 'writing' is inside a checkpoint's write, its files complete in the temporary folder, before the rename.
export type Failpoint = 'resolved' | 'applying' | 'writing' | 'saved' | 'ledger' | 'retrain-saved';

export function failpoint(name: Failpoint) {
  if (process.env.LETHE_FAILPOINT === name) process.kill(process.pid, 'SIGKILL');
}
