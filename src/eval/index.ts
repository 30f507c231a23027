// Lethe's evaluation metrics: pure functions over plain typed arrays (no TensorFlow, no I/O), usable in a browser.
export * from './accuracy.ts';
export * from './cka.ts';
export * from './divergence.ts';
export * from './features.ts';
export * from './gap.ts';
export * from './mia.ts';
export * from './privacy.ts';
export * from './rng.ts';
export * from './svc.ts';
