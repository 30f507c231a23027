// Lethe's version (package.json), written into every checkpoint. No TensorFlow.js: the CLI reads it to start.
import { readFileSync } from 'node:fs';

export const LETHE_VERSION: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
