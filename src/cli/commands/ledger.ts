import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { certificatesOf, verifyAll } from '../../deletion/audit.ts';
import { ledgerOf } from '../../deletion/records.ts';
import { num } from '../args.ts';
import { emit, withStore, type GlobalOpts } from '../output.ts';

export function define(cmd: Command) {
  cmd.description('the deletion ledger: its public key, certificates, and verification');
  cmd.command('key')
    .description("print the ledger's public key (Ed25519, SPKI PEM): what a third party checks certificates with")
    .option('--json', 'print one JSON document on stdout')
    .action((_o, sub: Command) => withStore((store) => {
      const ledger = ledgerOf(store);
      emit(sub.optsWithGlobals<GlobalOpts>(), { publicKey: ledger.publicKeyPem }, () => ledger.publicKeyPem.trim());
    }));
  cmd.command('show')
    .description("a request's certificates: its ledger entry, the inclusion proof, and the signed tree head")
    .requiredOption('--request <id>', 'the deletion request', num({ int: true, min: 1 }))
    .option('--out <file>', 'also write the certificates as JSON to this file')
    .option('--json', 'print one JSON document on stdout')
    .action((o, sub: Command) => withStore((store) => {
      const c = certificatesOf(store, o.request);
      if (o.out) writeFileSync(o.out, JSON.stringify(c, null, 2) + '\n');
      emit(sub.optsWithGlobals<GlobalOpts>(), c, () => c.certificates.map((cert) => {
        const e = cert.entry as Record<string, any>;
        return [
          `entry ${e.seq} (${e.type}, ${e.exactness}) at ${e.time}: request ${e.request} [${e.key}] on ${e.deployment}`,
          `  ids: ${e.ids.count} (SHA-256 ${e.ids.sha256}), ${e.held ?? e.ids.count} held; version ${e.parent.version} -> ${e.child.version} by ${e.method ?? 'nothing'}`,
          `  child weights SHA-256 ${e.child.weightsSha256}, manifest ${e.child.manifest.count} ids SHA-256 ${e.child.manifest.sha256}`,
          `  inclusion proof: ${cert.proof.length} hashes up to the tree of size ${cert.head.size}, root ${cert.head.rootHash}`,
          `  signed ${cert.head.timestamp} by key ${cert.head.keyId.slice(0, 16)}…`,
        ].join('\n');
      }).join('\n') + (o.out ? `\nwrote ${o.out}` : ''));
    }));
  cmd.command('consistency')
    .description('the proof that the log only grew: the signed heads of sizes --from and --to (default: the latest) and the RFC 9162 consistency proof between them')
    .requiredOption('--from <size>', 'the size of the head an auditor holds', num({ int: true, min: 1 }))
    .option('--to <size>', 'a later head (default: the latest)', num({ int: true, min: 1 }))
    .option('--json', 'print one JSON document on stdout')
    .action((o, sub: Command) => withStore((store) => {
      const p = ledgerOf(store).consistency(o.from, o.to);
      emit(sub.optsWithGlobals<GlobalOpts>(), p, () => [
        `from size ${p.from.size} (root ${p.from.rootHash}, signed ${p.from.timestamp})`,
        `to   size ${p.to.size} (root ${p.to.rootHash}, signed ${p.to.timestamp})`,
        `consistency proof: ${p.proof.length} hashes`, ...p.proof.map((h) => `  ${h}`),
      ].join('\n'));
    }));
  cmd.command('verify')
    .description('recompute every leaf, the tree, the signatures and the heads\' consistency; check every version against its entry, and that no exact version holds a deleted id')
    .option('--json', 'print one JSON document on stdout')
    .action((_o, sub: Command) => withStore((store) => {
      const v = verifyAll(store);
      emit(sub.optsWithGlobals<GlobalOpts>(), v, () => (v.ok
        ? `ledger verified: ${v.size} entries, ${v.checked.versions} versions (${v.checked.exactVersions} claiming exact deletion hold no deleted id${v.checked.pruned ? `; ${v.checked.pruned} pruned, their weights no longer checkable` : ''}), ${v.checked.requests} requests`
        : `ledger verification FAILED at entry ${v.seq}: ${v.problem}`));
      if (!v.ok) process.exitCode = 1;
    }));
}
