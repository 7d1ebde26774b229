#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx: no build step between a checkout and a running instance.
// The project's tsconfig is named explicitly so JSX compiles the same from any working directory.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
await import('../src/main.ts');
