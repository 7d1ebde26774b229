/**
 * Generates large inputs for the benchmarks from the real data in ../shared/data (never committed):
 * N Kaggle-format papers with distinct ids, cycling through the 9,246 real arXiv records, and
 * HF daily-papers lines featuring some of them. Usage: tsx bench/generate.ts papers|features N OUT
 */
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { SHARED_DATA } from './shared.ts';

const PARTS = [1, 2, 3, 4].map(
  (n) => `${SHARED_DATA}/arxiv_metadata/arxiv_cs_2026-05-23_to_2026-07-01.part0${n}.jsonl.gz`,
);

export async function loadRealRecords(): Promise<Record<string, unknown>[]> {
  const records: Record<string, unknown>[] = [];
  for (const part of PARTS) {
    if (!existsSync(part)) throw new Error(`missing shared data file ${part}`);
    const lines = createInterface({
      input: createReadStream(part).pipe(createGunzip()),
      crlfDelay: Infinity,
    });
    for await (const line of lines) if (line.trim()) records.push(JSON.parse(line));
  }
  return records;
}

/** The i-th synthetic id: new-style, distinct for i < 10,800,000 (YYMM from 1501 on, 5 digits). */
export function syntheticId(i: number): string {
  const month = Math.floor(i / 100_000);
  const yy = 15 + Math.floor(month / 12);
  const mm = (month % 12) + 1;
  return `${String(yy).padStart(2, '0')}${String(mm).padStart(2, '0')}.${String(i % 100_000).padStart(5, '0')}`;
}

async function write(path: string, count: number, line: (i: number) => string): Promise<void> {
  const out = createWriteStream(path);
  for (let i = 0; i < count; i++) {
    if (!out.write(`${line(i)}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(r));
}

export async function generatePapers(count: number, path: string): Promise<void> {
  const real = await loadRealRecords();
  const day = (i: number) => {
    const d = new Date(Date.UTC(2015, 0, 1) + Math.floor(i / 250) * 86_400_000);
    return d.toISOString().slice(0, 10);
  };
  await write(path, count, (i) => {
    const r = real[i % real.length]!;
    return JSON.stringify({ ...r, id: syntheticId(i), update_date: day(i) });
  });
}

/** HF slim lines featuring `count` of the synthetic papers, 25 a day, with upvotes like HF's (median ~6). */
export async function generateFeatures(count: number, paperCount: number, path: string): Promise<void> {
  const stride = Math.max(1, Math.floor(paperCount / count));
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  await write(path, count, (i) => {
    const day = new Date(Date.UTC(2019, 0, 1) + Math.floor(i / 25) * 86_400_000).toISOString().slice(0, 10);
    return JSON.stringify({
      date: day,
      id: syntheticId(i * stride),
      title: `Featured paper ${i}`,
      summary: 'Replaced by the arXiv abstract already stored.',
      authors: ['Jane Doe'],
      publishedAt: `${day}T00:00:00.000Z`,
      submittedOnDailyAt: `${day}T${String(8 + (i % 10)).padStart(2, '0')}:00:00.000Z`,
      submittedBy: `member${i % 300}`,
      upvotes: Math.floor(Math.exp(random() * 5)),
      numComments: 0,
    });
  });
}

if (import.meta.filename === process.argv[1]) {
  const [kind, n, out] = process.argv.slice(2);
  if (kind === 'papers') await generatePapers(Number(n), out!);
  else if (kind === 'features') await generateFeatures(Number(n), 1_000_000, out!);
  else throw new Error('usage: tsx bench/generate.ts papers|features N OUT');
}
