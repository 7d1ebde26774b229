/** The first thing a new instance shows: how to get papers in. */
export function EmptyInstance() {
  return (
    <section class="empty">
      <h2>No papers here yet</h2>
      <p>
        This Paperboy instance is new. Papers arrive from arXiv metadata and from Hugging Face Daily Papers
        records; import them from the shell where Paperboy runs:
      </p>
      <pre>
        <code>
          {
            'npx paperboy import arxiv-metadata-oai-snapshot.json.gz\nnpx paperboy import hf_daily_papers_2026.jsonl.gz'
          }
        </code>
      </pre>
      <p class="muted small">
        Both formats are recognised by themselves, plain or gzip. Imported papers appear under{' '}
        <a href="/new">New</a>; Daily Papers records fill the daily lists. See the README for more.
      </p>
    </section>
  );
}
