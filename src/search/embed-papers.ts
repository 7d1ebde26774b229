/**
 * Gives every paper without a current vector one: batches of titles and abstracts through the embedder, each
 * batch stored in one transaction, so an interrupted run keeps what it did and the next one goes on. Called by
 * `paperboy reindex --embeddings`, after every import, and by the server in the background.
 */
import type { SqliteStore } from '../db/connect.ts';
import { type Embedder, paperText } from './embeddings/embedder.ts';
import { countWithoutVectors, papersWithoutVectors, storeVectors } from './vectors.sqlite.ts';

export interface EmbedProgress {
  done: number;
  total: number;
}

export async function embedMissingPapers(
  store: SqliteStore,
  embedder: Embedder,
  options: { batchSize?: number; onProgress?: (p: EmbedProgress) => void; signal?: AbortSignal } = {},
): Promise<EmbedProgress> {
  const batchSize = options.batchSize ?? 32;
  const total = countWithoutVectors(store, embedder.id);
  let done = 0;
  let after = 0;
  options.onProgress?.({ done, total });
  while (!options.signal?.aborted) {
    const papers = papersWithoutVectors(store, embedder.id, after, batchSize);
    if (papers.length === 0) break;
    const vectors = await embedder.embed(
      papers.map((p) => paperText(p.title, p.abstract)),
      'document',
    );
    storeVectors(
      store,
      embedder.id,
      papers.map((p, i) => ({ pk: p.pk, vector: vectors[i]! })),
    );
    after = papers[papers.length - 1]!.pk;
    done += papers.length;
    options.onProgress?.({ done, total: Math.max(total, done) });
  }
  return { done, total };
}

/**
 * Keeps vectors current while the server runs: papers imported by another process, or edited, get theirs
 * within `intervalMs`. One run at a time; failures are logged and tried again next time. Returns a stop
 * function.
 */
export function startEmbeddingJob(
  store: SqliteStore,
  embedder: Embedder,
  log: { info(o: object, m: string): void; warn(o: object, m: string): void },
  intervalMs = 10 * 60 * 1000,
  batchSize = 32,
): () => void {
  let running = false;
  const controller = new AbortController();
  const run = async () => {
    if (running) return;
    running = true;
    try {
      const { done } = await embedMissingPapers(store, embedder, { batchSize, signal: controller.signal });
      if (done > 0) log.info({ papers: done, model: embedder.id }, 'papers embedded');
    } catch (err) {
      log.warn({ err }, 'embedding papers failed; will try again');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(run, intervalMs);
  timer.unref();
  setTimeout(run, 1000).unref();
  return () => {
    clearInterval(timer);
    controller.abort();
  };
}
