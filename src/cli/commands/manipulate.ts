// `lethe manipulate`: a derived data set for corrective unlearning, written as a folder that `--data` loads.
import { existsSync, readdirSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { datasetHash, recordedName, writeManipulated } from '../../data/formats/manipulated.ts';
import { describeManipulation, manipulationOf, parseConfuse, parsePoison, type ManipulationSpec } from '../../data/manipulation.ts';
import { isDataSet, loadData } from '../../data/registry.ts';
import { emit, type GlobalOpts } from '../output.ts';
import { addDataOptions, dataRef } from './data-options.ts';
import { needClasses } from '../../data/tasks.ts';

const spec = (parse: (t: string) => ManipulationSpec) => (value: string) => {
  try {
    return parse(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message.replace(/^--\w+: /, ''));
  }
};

export function define(cmd: Command) {
  addDataOptions(cmd, true)
    .option('--poison <spec>', 'patch:count=N:target=T[:seed=S]: a 3x3 patch of the maximum pixel value in the bottom-right corner of N random train images, relabelled to T (images only)', spec(parsePoison))
    .option('--confuse <spec>', 'A,B:count=N[:seed=S]: swap the labels of N/2 random train samples of class A and N/2 of class B', spec(parseConfuse))
    .requiredOption('--out <dir>', 'a new folder for the derived data set (then --data DIR)')
    .action((o, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOpts>();
      if (Boolean(o.poison) === Boolean(o.confuse)) throw new Error('manipulate needs exactly one of --poison SPEC or --confuse SPEC');
      if (existsSync(o.out) && readdirSync(o.out).length) throw new Error(`--out: ${o.out} exists and is not empty; give a new folder`);
      const ref = dataRef(o);
      const ds = loadData(ref);
      needClasses(ds, 'lethe manipulate (label poisoning and confusion)');
      const source = { ...ref, name: recordedName(ref.name, isDataSet(ref.name)), hash: datasetHash(ds) };
      const m = manipulationOf(ds, o.poison ?? o.confuse, source);
      const file = writeManipulated(o.out, m);
      const how = m.kind === 'poison'
        ? `stamped a ${m.patch.size}x${m.patch.size} patch of value ${m.patch.value} at rows ${m.patch.top}..${m.patch.top + m.patch.size - 1}, columns ${m.patch.left}..${m.patch.left + m.patch.size - 1} and relabelled them ${m.target}`
        : `swapped the labels of ${m.count / 2} samples of class ${m.classes[0]} and ${m.count / 2} of class ${m.classes[1]}`;
      emit(g, { out: o.out, file, source: m.source, manipulation: describeManipulation(m), count: m.ids.length, ids: m.ids },
        () => `${describeManipulation(m)} on ${ds.name}: ${how} (${m.ids.length} train samples, recorded in ${file}); use it with --data ${o.out}`);
    });
}
