/**
 * The parsing side of an import, on its own thread: reads and parses files and posts batches to the importing
 * thread, which only writes. On two cores the two halves overlap (docs/decisions.md D8).
 * Protocol: parent → {type:'file', path, format, batchSize} | {type:'ack'} | {type:'stop'};
 *           worker → {type:'batch', batch} … {type:'end'}.
 */
import { parentPort } from 'node:worker_threads';
import type { ImportFormat } from './detect-format.ts';
import { parseFile } from './parse-file.ts';

/** Batches posted and not yet written: enough to keep the writer busy, few enough to bound memory. */
const MAX_IN_FLIGHT = 2;

type Message =
  | { type: 'file'; path: string; format?: ImportFormat; batchSize: number }
  | { type: 'ack' }
  | { type: 'stop' };

const port = parentPort;
if (!port) throw new Error('parse-worker must run in a worker thread');
let inFlight = 0;
let wake: (() => void) | null = null;
let stopped = false;

port.on('message', async (message: Message) => {
  if (message.type === 'ack') {
    inFlight--;
    wake?.();
    return;
  }
  if (message.type === 'stop') {
    stopped = true;
    wake?.();
    return;
  }
  for await (const batch of parseFile(message.path, message.format, message.batchSize)) {
    while (inFlight >= MAX_IN_FLIGHT && !stopped) await new Promise<void>((resolve) => (wake = resolve));
    if (stopped) break;
    inFlight++;
    port.postMessage({ type: 'batch', batch });
  }
  port.postMessage({ type: 'end' });
});
