/** The embedder the configuration asks for, or null for `none` (the default). */
import { join } from 'node:path';
import type { Config } from '../../config.ts';
import type { Embedder } from './embedder.ts';
import { openAiEmbedder } from './openai.ts';
import { transformersEmbedder } from './transformers.ts';

export function createEmbedder(config: Config): Embedder | null {
  const prefixes = { query: config.EMBEDDINGS_QUERY_PREFIX, document: config.EMBEDDINGS_DOCUMENT_PREFIX };
  switch (config.EMBEDDINGS_PROVIDER) {
    case 'openai':
      return openAiEmbedder({
        baseUrl: config.EMBEDDINGS_BASE_URL,
        model: config.EMBEDDINGS_MODEL ?? 'nomic-embed-text',
        apiKey: config.EMBEDDINGS_API_KEY,
        prefixes,
      });
    case 'transformers':
      return transformersEmbedder({
        model: config.EMBEDDINGS_MODEL ?? 'Xenova/all-MiniLM-L6-v2',
        cacheDir: join(config.DATA_DIR, 'models'),
        allowDownload: config.EMBEDDINGS_ALLOW_DOWNLOAD,
        prefixes,
      });
    default:
      return null;
  }
}
