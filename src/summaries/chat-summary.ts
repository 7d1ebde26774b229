/**
 * One-line summaries from an OpenAI-compatible chat endpoint (`POST {base}/chat/completions`: OpenAI, vLLM,
 * llama.cpp's server, Ollama's /v1, LM Studio…). Only used when SUMMARY_API_URL is configured.
 */
export interface SummaryEndpoint {
  /** the API base, e.g. http://localhost:11434/v1 */
  url: string;
  model: string;
  apiKey?: string | undefined;
  timeoutMs: number;
}

export const SUMMARY_PROMPT =
  'Summarise the research paper below in one plain sentence of at most 30 words, for a reader deciding ' +
  'whether to read it. No preamble, no markdown.';

const MAX_SUMMARY_CHARS = 400;

/** The request body for a paper. Pure. */
export function summaryRequest(model: string, title: string, abstract: string) {
  return {
    model,
    temperature: 0.2,
    max_tokens: 120,
    messages: [
      { role: 'system', content: SUMMARY_PROMPT },
      { role: 'user', content: `Title: ${title}\n\nAbstract: ${abstract.slice(0, 6000)}` },
    ],
  };
}

/** The answer's text as one clean line, or null when the answer is not a usable summary. Pure. */
export function summaryFromAnswer(answer: unknown): string | null {
  const content = (answer as { choices?: { message?: { content?: unknown } }[] })?.choices?.[0]?.message
    ?.content;
  if (typeof content !== 'string') return null;
  const line = content
    .replace(/<think>[\s\S]*?<\/think>/g, '')
    .replace(/[*_`#>]+/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^(summary|tl;?dr)\s*:\s*/i, '');
  if (line.length < 10) return null;
  return line.length > MAX_SUMMARY_CHARS ? `${line.slice(0, MAX_SUMMARY_CHARS - 1)}…` : line;
}

/** Asks the endpoint for one paper's summary. Throws on HTTP errors and timeouts. */
export async function requestSummary(
  endpoint: SummaryEndpoint,
  paper: { title: string; abstract: string },
  signal?: AbortSignal,
): Promise<string | null> {
  const url = `${endpoint.url.replace(/\/+$/, '')}/chat/completions`;
  const timeout = AbortSignal.timeout(endpoint.timeoutMs);
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(endpoint.apiKey ? { authorization: `Bearer ${endpoint.apiKey}` } : {}),
    },
    body: JSON.stringify(summaryRequest(endpoint.model, paper.title, paper.abstract)),
    signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
  });
  if (!res.ok) throw new Error(`summary endpoint answered ${res.status}`);
  return summaryFromAnswer(await res.json());
}
