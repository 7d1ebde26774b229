/**
 * Typeset text benchmark: what showing arXiv's LaTeX as typeset (D53) costs a page, on the real arXiv cs
 * abstracts in ../shared/data. Prints how many abstracts and formulas it met, KaTeX's time a formula (first
 * time, not cached), a card's text (excerpt, rewrite, typeset; formulas cached as on a server) against the plain
 * excerpt it replaced, and how many `$…$` pairs looked like prose (money between two dollars) and stayed text.
 * Usage: npx tsx bench/typeset.ts
 */
import { createReadStream, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import katex from 'katex';
import { readableParts } from '../src/papers/readable-text.ts';
import { tex, texExcerpt, texParts } from '../src/papers/tex-text.tsx';
import { machine, SHARED_DATA } from './shared.ts';

const DIR = join(SHARED_DATA, 'arxiv_metadata');

async function readAbstracts(): Promise<{ title: string; abstract: string }[]> {
  const papers: { title: string; abstract: string }[] = [];
  for (const name of readdirSync(DIR).filter((n) => n.endsWith('.jsonl.gz'))) {
    const lines = createInterface({ input: createReadStream(join(DIR, name)).pipe(createGunzip()) });
    for await (const line of lines) {
      const record = JSON.parse(line) as { title?: string; abstract?: string };
      papers.push({ title: record.title ?? '', abstract: record.abstract ?? '' });
    }
  }
  return papers;
}

/** The card's excerpt before D53 (plain text cut at a space near 240 characters): the baseline measured against. */
function plainExcerpt(text: string, length = 240): { head: string; rest: string } {
  if (text.length <= length) return { head: text, rest: '' };
  const cut = text.lastIndexOf(' ', length);
  const at = cut > length * 0.6 ? cut : length;
  return { head: text.slice(0, at), rest: text.slice(at) };
}

function microseconds(run: () => void, count: number): number {
  const started = performance.now();
  run();
  return ((performance.now() - started) * 1000) / count;
}

const papers = await readAbstracts();
const formulas = papers.flatMap((p) =>
  readableParts(p.abstract).flatMap((part) => ('math' in part ? [part.math] : [])),
);
const dollarPairs = papers.reduce(
  (n, p) => n + (p.abstract.match(/(?<!\\)\$\$?[^$]{1,300}?(?<!\\)\$\$?/g)?.length ?? 0),
  0,
);
let sink = 0;
const perFormula = microseconds(() => {
  for (const f of formulas) sink += katex.renderToString(f, { throwOnError: false, strict: 'ignore' }).length;
}, formulas.length);
const rounds: { plain: number; typeset: number }[] = [];
for (let round = 0; round < 5; round++) {
  const plain = microseconds(() => {
    for (const p of papers) sink += plainExcerpt(p.abstract).head.length + p.title.length;
  }, papers.length);
  const typeset = microseconds(() => {
    for (const p of papers) {
      const { head, rest } = texExcerpt(p.abstract);
      sink += [texParts(head), texParts(rest), tex(p.title)].length;
    }
  }, papers.length);
  rounds.push({ plain, typeset });
}
const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
console.log(`\nTypeset text benchmark, ${new Date().toISOString().slice(0, 10)}, ${machine()}\n`);
console.log(
  `abstracts: ${papers.length}, with a formula: ${papers.filter((p) => readableParts(p.abstract).some((x) => 'math' in x)).length}`,
);
console.log(
  `formulas typeset: ${formulas.length} of ${dollarPairs} dollar pairs (the rest: prose between dollars)`,
);
console.log(`KaTeX, first time: ${(perFormula / 1000).toFixed(3)} ms a formula`);
console.log(
  `a card's text, median of 5 rounds: ${median(rounds.map((r) => r.typeset)).toFixed(2)} µs typeset vs ${median(rounds.map((r) => r.plain)).toFixed(2)} µs plain excerpt`,
);
if (sink < 0) console.log(sink);
