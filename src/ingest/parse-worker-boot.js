// Worker threads do not inherit the main thread's tsx registration: register it here, then load the worker.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) });
await import('./parse-worker.ts');
