#!/usr/bin/env node
// Runs the TypeScript sources directly (no build step): tsx compiles on the fly.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
