import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';

/** One line of a file, numbered from 1. */
export interface Line {
  number: number;
  text: string;
}

/** Longest line accepted: a real arXiv record is a few KB; anything this long is broken input. */
export const MAX_LINE_BYTES = 8 * 1024 * 1024;

export class LineTooLongError extends Error {}

/** True when the file starts with the gzip magic bytes (RFC 1952), whatever its name. */
export async function isGzipFile(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/**
 * Streams the lines of a plain or gzip file with constant memory. `onBytes` reports the bytes read
 * from disk (compressed bytes for gzip), for progress. A truncated or corrupt gzip throws from the
 * iterator after every complete line before the damage has been yielded.
 */
export async function* readLines(path: string, onBytes?: (bytes: number) => void): AsyncGenerator<Line> {
  const gzip = await isGzipFile(path);
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  if (onBytes) file.on('data', (chunk) => onBytes(chunk.length));
  const source = gzip ? file.pipe(createGunzip()) : file;
  if (gzip) file.on('error', (err) => source.destroy(err));
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let number = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      pending += decoder.write(chunk);
      let start = 0;
      for (;;) {
        const end = pending.indexOf('\n', start);
        if (end === -1) break;
        number++;
        yield { number, text: pending.slice(start, end) };
        start = end + 1;
      }
      pending = pending.slice(start);
      if (pending.length > MAX_LINE_BYTES)
        throw new LineTooLongError(`line ${number + 1} is longer than 8 MB`);
    }
    pending += decoder.end();
    if (pending.length > 0) yield { number: number + 1, text: pending };
  } finally {
    file.destroy();
    source.destroy();
  }
}

/** Reads a whole (possibly gzip) file into a string, refusing files larger than maxBytes once decompressed. */
export async function readWholeFile(path: string, maxBytes: number): Promise<string> {
  const parts: string[] = [];
  let size = 0;
  for await (const line of readLines(path)) {
    size += line.text.length + 1;
    if (size > maxBytes) throw new LineTooLongError(`file is larger than ${Math.round(maxBytes / 1e6)} MB`);
    parts.push(line.text);
  }
  return parts.join('\n');
}
