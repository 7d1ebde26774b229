/**
 * Embeddings from any OpenAI-compatible server: `POST {base}/embeddings {"model", "input": [texts]}` answering
 * `{"data": [{"index", "embedding": [numbers]}]}` (the OpenAI API; also Ollama, Hugging Face TEI, vLLM,
 * LocalAI). The key, when set, goes as `Authorization: Bearer`; it is never logged.
 */
import { type Embedder, EmbeddingError, normalize, withPrefixes } from './embedder.ts';

export interface OpenAiOptions {
  baseUrl: string;
  model: string;
  apiKey?: string | undefined;
  timeoutMs?: number;
  prefixes?: { query: string; document: string };
  fetch?: typeof fetch;
}

export function openAiEmbedder(options: OpenAiOptions): Embedder {
  const url = `${options.baseUrl.replace(/\/+$/, '')}/embeddings`;
  const doFetch = options.fetch ?? fetch;
  async function embed(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
    let res: Response;
    try {
      res = await doFetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ model: options.model, input: texts }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
      });
    } catch (err) {
      throw new EmbeddingError(`embedding server ${url} unreachable: ${(err as Error).message}`);
    }
    if (!res.ok) {
      const body = (await res.text().catch(() => '')).slice(0, 200);
      throw new EmbeddingError(`embedding server ${url} answered ${res.status}: ${body}`);
    }
    const json = (await res.json()) as { data?: { index?: number; embedding?: unknown }[] };
    const data = Array.isArray(json.data) ? json.data : [];
    if (data.length !== texts.length) {
      throw new EmbeddingError(`embedding server gave ${data.length} vectors for ${texts.length} texts`);
    }
    const out: Float32Array[] = new Array(texts.length);
    data.forEach((item, i) => {
      const vector = item.embedding;
      if (!Array.isArray(vector) || vector.length === 0 || !vector.every((x) => typeof x === 'number')) {
        throw new EmbeddingError('embedding server gave a vector that is not a list of numbers');
      }
      out[typeof item.index === 'number' ? item.index : i] = normalize(vector as number[]);
    });
    return out;
  }
  return {
    id: `openai:${options.model}`,
    embed: withPrefixes(embed, options.prefixes ?? { query: '', document: '' }),
  };
}
