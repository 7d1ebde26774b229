/**
 * Gives every paper without a current vector one: batches of titles and abstracts through the embedder, each
 * batch stored in one transaction, so an interrupted run keeps what it did and the next one goes on. Called by
 * `paperboy reindex --embeddings`, after every import, and by the server in the background.
 */
import type { Store } from '../db/connect.ts';
import type { Job } from '../jobs/registry.ts';
import { every } from '../jobs/schedule.ts';
import { type Embedder, paperText } from './embeddings/embedder.ts';
import { paperVectorsOf } from './vectors.store.ts';

export interface EmbedProgress {
  done: number;
  total: number;
}

export async function embedMissingPapers(
  store: Store,
  embedder: Embedder,
  options: { batchSize?: number; onProgress?: (p: EmbedProgress) => void; signal?: AbortSignal } = {},
): Promise<EmbedProgress> {
  const batchSize = options.batchSize ?? 32;
  const vectors = paperVectorsOf(store);
  const total = await vectors.countMissing(embedder.id);
  let done = 0;
  let after = 0;
  options.onProgress?.({ done, total });
  while (!options.signal?.aborted) {
    const papers = await vectors.missing(embedder.id, after, batchSize);
    if (papers.length === 0) break;
    const embedded = await embedder.embed(
      papers.map((p) => paperText(p.title, p.abstract)),
      'document',
    );
    await vectors.store(
      embedder.id,
      papers.map((p, i) => ({ pk: p.pk, vector: embedded[i]! })),
    );
    after = papers[papers.length - 1]!.pk;
    done += papers.length;
    options.onProgress?.({ done, total: Math.max(total, done) });
  }
  return { done, total };
}

/**
 * Keeps vectors current while the server runs (either engine, with an embedding model): papers imported by another
 * process, or edited, get theirs within ten minutes. Failures are logged and tried again next time.
 */
export function createEmbeddingJob(
  store: Store,
  embedder: Embedder,
  log: { info(o: object, m: string): void; warn(o: object, m: string): void },
  batchSize = 32,
): Job {
  return {
    name: 'embeddings',
    schedule: every(10),
    run: async (signal) => {
      try {
        const { done } = await embedMissingPapers(store, embedder, { batchSize, signal });
        if (done > 0) log.info({ papers: done, model: embedder.id }, 'papers embedded');
      } catch (err) {
        if (!signal.aborted) log.warn({ err }, 'embedding papers failed; will try again');
      }
    },
  };
}
