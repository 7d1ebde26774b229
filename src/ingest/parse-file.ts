import type { PaperRecord } from '../papers/paper.ts';
import { dayFromFileName, detectFormat, type ImportFormat } from './detect-format.ts';
import { type HfDailyRecord, parseHfDailyRecord } from './hf-daily.ts';
import { paperFingerprint, parseKaggleRecord } from './kaggle.ts';
import { type Line, readLines, readWholeFile } from './read-lines.ts';

/** A Kaggle record with its fingerprint computed where it was parsed (off the writing thread). */
export interface ArxivItem {
  record: PaperRecord;
  fingerprint: string;
}

export interface Rejection {
  file: string;
  line: number;
  reason: string;
}

/** What one file yields, a batch at a time: parsed records of one format, and the lines rejected on the way. */
export type ParsedBatch =
  | { format: 'kaggle'; items: ArxivItem[]; rejections: Rejection[]; read: number; bytes: number }
  | { format: 'hf-daily'; items: HfDailyRecord[]; rejections: Rejection[]; read: number; bytes: number };

/** JSON-array files (HF API answers) are read whole; anything larger is refused. */
const MAX_JSON_ARRAY_BYTES = 512 * 1024 * 1024;

class FileFormatError extends Error {}

/**
 * Reads one file and yields parsed batches of `batchSize` records. Bad lines become rejections with their line
 * number; a file that cannot be read on (missing, truncated gzip, unknown format) ends with one rejection at
 * line 0 after the batches read before the damage. `bytes` is the disk bytes read so far, for progress.
 */
export async function* parseFile(
  path: string,
  forced: ImportFormat | undefined,
  batchSize: number,
): AsyncGenerator<ParsedBatch> {
  let bytes = 0;
  let format: ImportFormat = forced ?? 'kaggle';
  let kaggle: ArxivItem[] = [];
  let hf: HfDailyRecord[] = [];
  let rejections: Rejection[] = [];
  let read = 0;
  const take = (): ParsedBatch => {
    const batch: ParsedBatch =
      format === 'kaggle'
        ? { format, items: kaggle, rejections, read, bytes }
        : { format, items: hf, rejections, read, bytes };
    kaggle = [];
    hf = [];
    rejections = [];
    read = 0;
    return batch;
  };
  try {
    const opened = await openRecords(path, forced, (n) => {
      bytes += n;
    });
    format = opened.format;
    const fileDay = dayFromFileName(path);
    for await (const item of opened.items) {
      read++;
      if (item.error !== undefined) {
        rejections.push({ file: path, line: item.line, reason: item.error });
        continue;
      }
      if (format === 'kaggle') {
        const parsed = parseKaggleRecord(item.value);
        if (parsed.ok) kaggle.push({ record: parsed.value, fingerprint: paperFingerprint(parsed.value) });
        else rejections.push({ file: path, line: item.line, reason: parsed.reason });
      } else {
        const parsed = parseHfDailyRecord(item.value, fileDay);
        if (parsed.ok) hf.push(parsed.value);
        else rejections.push({ file: path, line: item.line, reason: parsed.reason });
      }
      if (kaggle.length + hf.length >= batchSize) yield take();
    }
  } catch (err) {
    rejections.push({ file: path, line: 0, reason: describeReadError(err) });
  }
  yield take();
}

type Item =
  | { line: number; value: unknown; error?: undefined }
  | { line: number; value?: undefined; error: string };

/** Opens a file as a sequence of JSON values with their line (or array index) numbers. */
async function openRecords(
  path: string,
  forced: ImportFormat | undefined,
  onBytes: (n: number) => void,
): Promise<{ format: ImportFormat; items: AsyncIterable<Item> }> {
  const lines = readLines(path, onBytes);
  const first = await nextNonEmpty(lines);
  if (!first) return { format: forced ?? 'kaggle', items: empty() };
  if (first.text.trimStart().startsWith('[')) {
    await lines.return(undefined);
    const text = await readWholeFile(path, MAX_JSON_ARRAY_BYTES);
    let array: unknown;
    try {
      array = JSON.parse(text);
    } catch (err) {
      throw new FileFormatError(`not valid JSON: ${(err as Error).message}`);
    }
    if (!Array.isArray(array)) throw new FileFormatError('expected a JSON array of records');
    const format = forced ?? detectFormat(array[0]);
    if (!format)
      throw new FileFormatError('cannot tell the format of this file; give --format kaggle or hf-daily');
    return {
      format,
      items: (async function* () {
        for (const [i, value] of array.entries()) yield { line: i + 1, value };
      })(),
    };
  }
  const firstItem = parseLine(first);
  const format = forced ?? (firstItem.error === undefined ? detectFormat(firstItem.value) : null);
  if (!format)
    throw new FileFormatError('cannot tell the format of this file; give --format kaggle or hf-daily');
  return {
    format,
    items: (async function* () {
      yield firstItem;
      for await (const line of lines) if (line.text.trim() !== '') yield parseLine(line);
    })(),
  };
}

function parseLine(line: Line): Item {
  try {
    return { line: line.number, value: JSON.parse(line.text) };
  } catch (err) {
    return { line: line.number, error: `malformed JSON: ${(err as Error).message.slice(0, 200)}` };
  }
}

async function nextNonEmpty(lines: AsyncGenerator<Line>): Promise<Line | null> {
  for (;;) {
    const { value, done } = await lines.next();
    if (done) return null;
    if (value.text.trim() !== '') return value;
  }
}

async function* empty(): AsyncGenerator<Item> {}

function describeReadError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(e.message ?? '')) {
    return 'the gzip file is truncated (unexpected end of file); the records before the damage were imported';
  }
  if (e.code === 'Z_DATA_ERROR')
    return `the gzip file is corrupt (${e.message}); the records before it were imported`;
  if (e.code === 'ENOENT') return 'file not found';
  if (e.code === 'EISDIR') return 'is a directory, not a file';
  if (e.code === 'EACCES') return 'permission denied';
  return e.message ?? String(err);
}
