import type { Hono } from 'hono';
import type { AppEnv } from '../../web/env.ts';
import { Layout, who } from '../../web/layout.tsx';
import type { AppDeps } from '../deps.ts';
import { jsonSchema, openApiDocument } from './openapi.ts';
import { OPERATIONS, type Operation } from './operations.ts';

/** `/api/openapi.json` (generated from the route schemas) and `/api/docs`, the same for people, no CDN. */
export function registerApiDocs(app: Hono<AppEnv>, deps: AppDeps): void {
  const document = openApiDocument(OPERATIONS, {
    title: deps.site.name,
    version: deps.site.version,
    baseUrl: deps.site.baseUrl,
  });
  const body = JSON.stringify(document, null, 2);
  app.get('/api/openapi.json', (c) => {
    c.header('Content-Type', 'application/json; charset=utf-8');
    return c.body(body);
  });
  app.get('/api/docs', (c) =>
    c.html(
      <Layout {...who(c)} site={deps.site} meta={{ title: 'API', path: '/api/docs' }}>
        <h1>API</h1>
        <p>
          {deps.site.name} answers the Hugging Face Papers API field for field (point{' '}
          <code>huggingface_hub</code> at it with <code>HF_ENDPOINT={deps.site.baseUrl}</code>), and adds
          writes with a personal token (Settings → API tokens; <code>Authorization: Bearer pb_…</code>), feeds
          and citations. Errors are <code>{'{"error": "message"}'}</code> with the right status. The
          machine-readable description: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).
        </p>
        {(['Papers', 'Members', 'Feeds and citations'] as const).map((tag) => (
          <section>
            <h2>{tag}</h2>
            {OPERATIONS.filter((op) => op.tag === tag).map((op) => (
              <OperationView op={op} />
            ))}
          </section>
        ))}
      </Layout>,
    ),
  );
}

function OperationView(props: { op: Operation }) {
  const { op } = props;
  const query = op.query
    ? (jsonSchema(op.query, 'input') as { properties?: Record<string, Described> })
    : null;
  return (
    <div class="api-op" id={`${op.method}-${op.path}`}>
      <h3>
        <span class="method">{op.method.toUpperCase()}</span>
        <code>{op.path}</code>
      </h3>
      <p>
        {op.summary}
        {op.auth ? ' · needs an API token or session' : ''}
      </p>
      {op.description ? <p class="small muted">{op.description}</p> : null}
      {(op.pathParams?.length ?? 0) > 0 || query?.properties ? (
        <table class="tokens">
          <tbody>
            {(op.pathParams ?? []).map((p) => (
              <tr>
                <td>
                  <code>{p.name}</code>
                </td>
                <td>path</td>
                <td>{p.description}</td>
              </tr>
            ))}
            {Object.entries(query?.properties ?? {}).map(([name, schema]) => (
              <tr>
                <td>
                  <code>{name}</code>
                </td>
                <td>query</td>
                <td>{parameterText(schema)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {op.body ? (
        <details>
          <summary>Request body (JSON)</summary>
          <pre>{JSON.stringify(jsonSchema(op.body, 'input'), null, 2)}</pre>
        </details>
      ) : null}
      <ul class="small">
        {Object.entries(op.responses).map(([status, r]) => (
          <li>
            <strong>{status}</strong> {r.description}
            {r.schema ? (
              <details>
                <summary>schema</summary>
                <pre>{JSON.stringify(jsonSchema(r.schema, 'output'), null, 2)}</pre>
              </details>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

interface Described {
  description?: string;
  type?: string;
  pattern?: string;
  enum?: unknown[];
}

function parameterText(schema: Described): string {
  const parts = [schema.description, schema.enum ? `one of ${schema.enum.join(', ')}` : schema.type].filter(
    Boolean,
  );
  return parts.join(' · ') || 'string';
}
