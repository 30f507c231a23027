// Parsers for command-line values that are not task arguments: each bad value is a one-line error that names the flag.
import { InvalidArgumentError } from 'commander';
import type { ForgetSpec } from '../data/forget/index.ts';
import { parseForgetSpecFromCli } from '../data/forget/read.ts';

interface NumRule {
  int?: boolean;
  min?: number;
  gt?: number;
  max?: number;
}

export function num(rule: NumRule = {}) {
  return (value: string): number => {
    const v = Number(value);
    const want = [
      rule.int ? 'an integer' : 'a number',
      rule.min !== undefined ? `≥ ${rule.min}` : '',
      rule.gt !== undefined ? `> ${rule.gt}` : '',
      rule.max !== undefined ? `≤ ${rule.max}` : '',
    ].filter(Boolean).join(' ');
    const ok = value.trim() !== '' && Number.isFinite(v) && (!rule.int || Number.isInteger(v))
      && (rule.min === undefined || v >= rule.min) && (rule.gt === undefined || v > rule.gt) && (rule.max === undefined || v <= rule.max);
    if (!ok) throw new InvalidArgumentError(`expected ${want}.`);
    return v;
  };
}

export function oneOf<T extends string>(names: readonly T[]) {
  return (value: string): T => {
    if (!names.includes(value as T)) throw new InvalidArgumentError(`expected one of ${names.join(', ')}.`);
    return value as T;
  };
}

/** `--forget`: the CLI's spec text, which may name a file of ids (`ids:FILE`), read here. */
export function forgetSpec(value: string): ForgetSpec {
  try {
    return parseForgetSpecFromCli(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

export { paramValue } from '../shared/param-value.ts';
