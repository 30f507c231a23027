// The value of a method parameter written as text (`--param lr=0.01`, a policy's `steps=5`): numbers and booleans
// converted (NaN kept, for the method's schema to refuse by name), strings as they are.
export function paramValue(raw: string): unknown {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (raw === 'NaN') return NaN;
  return raw.trim() !== '' && !Number.isNaN(Number(raw)) ? Number(raw) : raw;
}
