import type { Command } from 'commander';
import { DEBIAN_DIR, fashionMnistDir, hasIdxFiles } from '../../data/fashion-mnist.ts';
import { MINI_DIR } from '../../data/registry.ts';
import { planBackend, planInfo } from '../../engine/probe.ts';
import { LETHE_VERSION } from '../../models/version.ts';
import { ARCH_NAMES } from '../../models/archs.ts';
import { defaultStorePath, Store } from '../../store/store.ts';
import { emit, type GlobalOpts } from '../output.ts';

export function define(cmd: Command) {
  cmd.action(async (_o, cmd: Command) => {
    const g = cmd.optsWithGlobals<GlobalOpts>();
    // What a training command would run on, decided as it decides, without loading TensorFlow.js.
    const backend = planInfo(planBackend());
    const dir = fashionMnistDir();
    const store = new Store();
    const info = {
      version: LETHE_VERSION,
      node: process.version,
      ...backend,
      data: {
        'fashion-mnist': { dir, found: hasIdxFiles(dir), install: dir === DEBIAN_DIR ? 'sudo apt-get install dataset-fashion-mnist' : undefined },
        'fashion-mnist-mini': { dir: MINI_DIR, found: hasIdxFiles(MINI_DIR) },
      },
      store: { path: defaultStorePath(), schema: store.schemaVersion, models: store.listModels().length },
      models: ARCH_NAMES,
    };
    store.close();
    emit(g, info, () => [
      `lethe ${info.version} on Node ${info.node}`,
      `backend      ${info.summary}`,
      ...(info.native ? [`native       ${info.native}`] : []),
      `fashion-mnist ${info.data['fashion-mnist'].found ? 'found' : 'MISSING'} in ${dir}${info.data['fashion-mnist'].found ? '' : ' — install: sudo apt-get install dataset-fashion-mnist'}`,
      `store        ${info.store.path} (schema ${info.store.schema}, ${info.store.models} models)`,
      `models       ${ARCH_NAMES.join(', ')}`,
    ].join('\n'));
  });
}
