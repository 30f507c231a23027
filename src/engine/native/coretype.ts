// Which OpenBLAS kernels to ask for. Debian's OpenBLAS 0.3.21 does not recognise recent CPUs
// and falls back to generic SSE3 code, about 4× slower; OPENBLAS_CORETYPE, read once when the
// library loads, overrides its guess. A user's or machine's setting always wins: some machines
// set it because other core types compute wrong results there.
import { readFileSync } from 'node:fs';

/** From the most capable down; each needs every flag listed. Names as OpenBLAS spells them. */
const CORE_TYPES: readonly { name: string; flags: readonly string[] }[] = [
  { name: 'SkylakeX', flags: ['avx512f', 'avx512dq', 'avx512cd', 'avx512bw', 'avx512vl'] },
  { name: 'Haswell', flags: ['avx2', 'fma'] },
  { name: 'Sandybridge', flags: ['avx'] },
];

/** The core type for a CPU with these /proc/cpuinfo flags, or null to let OpenBLAS decide. */
export function chooseCoreType(flags: Iterable<string>): string | null {
  const have = new Set(flags);
  return CORE_TYPES.find((c) => c.flags.every((f) => have.has(f)))?.name ?? null;
}

export interface CpuId {
  model: string;
  flags: string[];
}

/** This CPU's model and flags (Linux); empty when /proc/cpuinfo cannot be read. */
export function readCpu(path = '/proc/cpuinfo'): CpuId {
  try {
    const text = readFileSync(path, 'utf8');
    const field = (name: string) => new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm').exec(text)?.[1]?.trim() ?? '';
    return { model: field('model name'), flags: field('flags').split(/\s+/).filter(Boolean) };
  } catch {
    return { model: '', flags: [] };
  }
}

export type CoreTypeSource = 'environment' | 'cpu flags' | 'openblas';

export interface CorePlan {
  /** What to put in OPENBLAS_CORETYPE before loading, or null to leave it as it is. */
  set: string | null;
  source: CoreTypeSource;
  /** Why, in a few words, for `lethe info`. */
  note: string;
}

/**
 * Decides the core type before OpenBLAS loads. `rejected` lists core types that failed the
 * self-test on this CPU before (see addon.ts): those are not chosen again.
 */
export function planCoreType(envValue: string | undefined, cpu: CpuId, rejected: readonly string[] = []): CorePlan {
  if (envValue) return { set: null, source: 'environment', note: `OPENBLAS_CORETYPE=${envValue} from the environment` };
  const chosen = chooseCoreType(cpu.flags);
  if (chosen == null) return { set: null, source: 'openblas', note: 'chosen by OpenBLAS (no known core type for these CPU flags)' };
  if (rejected.some((r) => r.toLowerCase() === chosen.toLowerCase())) {
    return { set: null, source: 'openblas', note: `chosen by OpenBLAS: ${chosen} (from the CPU flags) failed the self-test on this CPU earlier` };
  }
  return { set: chosen, source: 'cpu flags', note: `${chosen}, chosen from the CPU flags` };
}
