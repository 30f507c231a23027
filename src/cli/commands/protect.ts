// `lethe protect`: a protected copy of a data set's train images (unlearnable data), written as a folder that
// `--data` loads. The test split is never changed, so clean test accuracy measures the protection.
import { existsSync, readdirSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { datasetHash, recordedName } from '../../data/formats/derived.ts';
import { protect, writeProtected } from '../../data/formats/protected.ts';
import { describeProtection, parseProtection, PROTECTION_NAMES, PROTECTIONS } from '../../data/protect/index.ts';
import { isDataSet, loadData } from '../../data/registry.ts';
import { emit, type GlobalOpts } from '../output.ts';
import { terminalProgress } from '../progress.ts';
import { addDataOptions, dataRef } from './data-options.ts';
import { needClasses } from '../../data/tasks.ts';

const method = (value: string) => {
  try {
    return parseProtection(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message.replace(/^--method: /, ''));
  }
};

export function define(cmd: Command) {
  addDataOptions(cmd, true)
    .requiredOption('--method <spec>', `the protection: ${PROTECTION_NAMES.map((n) => `${PROTECTIONS[n].form}: ${PROTECTIONS[n].summary}`).join('; ')}`, method)
    .requiredOption('--out <dir>', 'a new folder for the protected copy (then --data DIR)')
    .action(async (o, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOpts>();
      if (existsSync(o.out) && readdirSync(o.out).length) throw new Error(`--out: ${o.out} exists and is not empty; give a new folder`);
      const ref = dataRef(o);
      const ds = loadData(ref);
      needClasses(ds, 'lethe protect (class-wise unlearnable perturbations)');
      const source = { ...ref, name: recordedName(ref.name, isDataSet(ref.name)), hash: datasetHash(ds) };
      // A learnt protection (uc) trains a surrogate and optimises its perturbations: a bar on stderr while it does.
      const progress = terminalProgress();
      const p = await protect(ds, o.method, source, o.out, progress).then((r) => r.protection).finally(() => progress.stop());
      const file = writeProtected(o.out, p);
      emit(g, { out: o.out, file, protection: describeProtection(p), count: p.count, source: p.source, hash: p.hash },
        () => `${describeProtection(p)} on ${ds.name}: protected its ${p.count} train images (the test split is unchanged), recorded in ${file}; use it with --data ${o.out}`);
    });
}
