/**
 * The layer rule of docs/architecture.md, read from the imports of every source file under src/:
 * a file imports its own folder or a lower layer, never a higher one; no two files import each other, even
 * through others; only src/db/ asks which engine it runs on; only stores run queries.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../src');

/** Bottom to top. A folder (or a root file) imports only itself and the names before it. */
const LAYERS: string[][] = [
  // core: what everything stands on
  ['config.ts', 'log.ts', 'db', 'mail', 'jobs'],
  // what every page uses
  ['web'],
  // domains, each importing only those before it
  ['ranking'],
  ['settings'],
  ['papers'],
  ['users'],
  ['moderation'],
  ['search'],
  ['comments'],
  ['votes'],
  ['features'],
  ['authors'],
  ['citations'],
  ['code-links'],
  ['keywords'],
  ['feeds'],
  ['collections'],
  ['recommendations'],
  ['ingest'],
  ['harvest'],
  ['summaries'],
  ['teams'],
  ['digests'],
  ['follows'],
  ['webhooks'],
  // pages and API routes that compose several domains
  ['site'],
  // the app: route table, middleware, server, the stores and jobs of each engine
  ['app'],
  // commands
  ['cli'],
  ['main.ts'],
];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'static') out.push(...sourceFiles(path));
    } else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(path);
  }
  return out;
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s(?:[^'";]*?\sfrom\s*)?['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

/** The relative imports of a file, type-only ones included: a type import is a dependency too. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => resolve(dirname(file), (m[1] ?? m[2])!));
}

/** The layer unit of a file: its top folder under src/, or its own name at the root. */
function unitOf(file: string): string {
  return relative(SRC, file).split('/')[0]!;
}

function rankOf(unit: string): number {
  return LAYERS.findIndex((layer) => layer.includes(unit));
}

const files = sourceFiles(SRC);
const graph = new Map(files.map((f) => [f, importsOf(f)]));

describe('the layer rule', () => {
  it('places every folder and root file of src/ in a layer', () => {
    const units = [...new Set(files.map(unitOf))];
    expect(units.filter((u) => rankOf(u) < 0)).toEqual([]);
  });

  it('sees the imports it checks (the reader is not blind)', () => {
    const app = join(SRC, 'app/app.tsx');
    expect(graph.get(app)?.some((t) => unitOf(t) === 'site')).toBe(true);
    expect(graph.get(join(SRC, 'main.ts'))?.length).toBeGreaterThan(3);
  });

  it('imports only downward: no file imports a higher layer', () => {
    const upward: string[] = [];
    for (const [file, targets] of graph)
      for (const target of targets) {
        const from = unitOf(file);
        const to = unitOf(target);
        if (from !== to && rankOf(to) > rankOf(from))
          upward.push(`${relative(SRC, file)} -> ${relative(SRC, target)}`);
      }
    expect(upward).toEqual([]);
  });

  it('has no import cycle between files', () => {
    // Tarjan's strongly connected components over the file graph
    let index = 0;
    const indexOf = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const cycles: string[][] = [];
    const visit = (v: string) => {
      indexOf.set(v, index);
      low.set(v, index++);
      stack.push(v);
      onStack.add(v);
      for (const w of graph.get(v) ?? []) {
        if (!graph.has(w)) continue;
        if (!indexOf.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indexOf.get(w)!));
      }
      if (low.get(v) === indexOf.get(v)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(relative(SRC, w));
        } while (w !== v);
        if (component.length > 1) cycles.push(component.sort());
      }
    };
    for (const f of graph.keys()) if (!indexOf.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  it('asks which engine it runs on in src/db/ only', () => {
    const asking = files
      .filter((f) => unitOf(f) !== 'db')
      .filter((f) => /\.dialect\b/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(SRC, f));
    expect(asking).toEqual([]);
  });

  it('runs queries in stores only (x.store.ts, x.sqlite.ts, x.postgres.ts, src/db/)', () => {
    const QUERY =
      /\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto)\(|\bsql`|\.prepare\(|\.exec\(\s*['"`]|pool\.query\(/;
    const store = /\.(store|sqlite|postgres)\.ts$/;
    const querying = files
      .filter((f) => unitOf(f) !== 'db' && !store.test(f))
      .filter((f) => QUERY.test(readFileSync(f, 'utf8')))
      .map((f) => relative(SRC, f));
    expect(querying).toEqual([]);
  });
});
