/**
 * Embeddings computed in the process by @huggingface/transformers (ONNX Runtime), from a model name (fetched
 * from the Hugging Face hub on first use, when the server may reach it) or a local folder (no network: the
 * folder holds config.json, tokenizer.json and onnx/model.onnx). Mean pooling, unit length.
 *
 * The package is an optional dependency (about 475 MB; `npm install --omit=optional` leaves it out). Its
 * onnxruntime-node install step would download GPU libraries from outside the npm registry; the project's .npmrc
 * tells it not to (docs/configuration.md). Tested with a model folder made by test/helpers/tiny-model.ts.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { type Embedder, EmbeddingError, normalize, withPrefixes } from './embedder.ts';

export interface TransformersOptions {
  /** a model name (Xenova/all-MiniLM-L6-v2) or a folder */
  model: string;
  /** where downloaded models are kept */
  cacheDir: string;
  /** whether a model name may be fetched from the hub */
  allowDownload: boolean;
  prefixes?: { query: string; document: string };
  /** loads the package; a test may hand in another loader */
  load?: () => Promise<unknown>;
}

type Extractor = (
  texts: string[],
  options: { pooling: 'mean'; normalize: boolean },
) => Promise<{
  tolist(): number[][];
}>;

const PACKAGE = '@huggingface/transformers';

export function transformersEmbedder(options: TransformersOptions): Embedder {
  let extractor: Promise<Extractor> | null = null;
  const folder = existsSync(resolve(options.model)) ? resolve(options.model) : null;

  async function load(): Promise<Extractor> {
    let lib: {
      env: Record<string, unknown>;
      pipeline: (task: string, model: string, opts?: object) => Promise<Extractor>;
    };
    try {
      lib = (await (options.load ?? (() => import(PACKAGE)))()) as typeof lib;
    } catch {
      throw new EmbeddingError(
        `EMBEDDINGS_PROVIDER=transformers needs the optional package ${PACKAGE}, which is not installed ` +
          `(npm install --omit=optional leaves it out): run npm install in Paperboy's folder, or ` +
          `ONNXRUNTIME_NODE_INSTALL=skip npm install ${PACKAGE}@4 (docs/configuration.md)`,
      );
    }
    if (folder) {
      lib.env.allowRemoteModels = false;
      lib.env.localModelPath = dirname(folder);
    } else {
      lib.env.allowRemoteModels = options.allowDownload;
      lib.env.cacheDir = options.cacheDir;
    }
    return lib.pipeline('feature-extraction', folder ? basename(folder) : options.model, { dtype: 'fp32' });
  }

  async function embed(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    extractor ??= load();
    const run = await extractor;
    const output = await run(texts, { pooling: 'mean', normalize: true });
    return output.tolist().map((v) => normalize(v));
  }

  return {
    id: `transformers:${folder ? basename(folder) : options.model}`,
    embed: withPrefixes(embed, options.prefixes ?? { query: '', document: '' }),
  };
}
