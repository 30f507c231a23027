// How the CLI prints a deletion request: one line with its state, what it held and where it led.
import type { ApiDeletionRequest } from '../shared/http.ts';

export function requestLine(r: ApiDeletionRequest): string {
  const held = r.held == null ? '' : `, ${r.held} of ${r.ids?.count ?? 0} ids held`;
  const where = r.childVersion == null ? '' : r.childVersion === r.parentVersion ? ` (version ${r.parentVersion} kept: nothing to delete)` : ` -> version ${r.childVersion}`;
  return `request ${r.id} [${r.key}] ${r.subject} on ${r.deployment}: ${r.state}${held}${where}${r.ledgerSeq != null ? `, ledger entry ${r.ledgerSeq}` : ''}${r.error ? ` — ${r.error}` : ''}`;
}

