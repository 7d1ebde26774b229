/**
 * The embedding interface: texts in, one unit-length Float32Array each out. Providers: `openai` (any
 * OpenAI-compatible `/v1/embeddings` server: Ollama, TEI, vLLM, LocalAI, OpenAI), `transformers` (a model name
 * or a local folder through @huggingface/transformers, an optional package), and `none` (the default: no
 * semantic search). Documents and queries may need different prefixes (e5: "passage: " / "query: ").
 */
export interface Embedder {
  /** provider and model, stored with every vector: vectors of another model are never compared */
  readonly id: string;
  embed(texts: string[], kind: 'query' | 'document'): Promise<Float32Array[]>;
}

export class EmbeddingError extends Error {}

/** Scales a vector to length 1, so L2 distance orders neighbours as cosine similarity does. */
export function normalize(vector: ArrayLike<number>): Float32Array {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += vector[i]! * vector[i]!;
  const norm = Math.sqrt(sum) || 1;
  const out = new Float32Array(vector.length);
  for (let i = 0; i < vector.length; i++) out[i] = vector[i]! / norm;
  return out;
}

/** The text of a paper that is embedded: its title and abstract, cut to a length models take. */
export function paperText(title: string, abstract: string, maxChars = 2000): string {
  return `${title}. ${abstract}`.slice(0, maxChars);
}

/** Adds the configured prefix for documents or queries. */
export function withPrefixes(
  embed: (texts: string[]) => Promise<Float32Array[]>,
  prefixes: { query: string; document: string },
): Embedder['embed'] {
  return (texts, kind) =>
    embed(texts.map((t) => (kind === 'query' ? prefixes.query : prefixes.document) + t));
}
