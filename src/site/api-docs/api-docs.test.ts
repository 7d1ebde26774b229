import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/helpers/app.ts';
import { seedFeatures } from '../../../test/helpers/factories.ts';
import { createTestStore, type TestStore } from '../../../test/helpers/store.ts';
import { OPERATIONS } from './operations.ts';

let store: TestStore;
let app: Awaited<ReturnType<typeof createTestApp>>;

beforeAll(async () => {
  store = await createTestStore();
  await seedFeatures(store, [{ day: '2026-01-05', upvotes: 3, paper: { id: '2601.00001' } }]);
  app = await createTestApp(store);
});
afterAll(() => store.dispose());

interface Doc {
  openapi: string;
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { name: string; in: string }[];
        requestBody?: unknown;
        responses: Record<string, unknown>;
        operationId: string;
      }
    >
  >;
}

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 with every operation, its parameters, bodies and answers generated from the schemas', async () => {
    const res = await app.request('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const doc = (await res.json()) as Doc;
    expect(doc.openapi).toBe('3.1.0');
    for (const op of OPERATIONS)
      expect(doc.paths[op.path]?.[op.method], `${op.method} ${op.path}`).toBeDefined();
    const daily = doc.paths['/api/daily_papers']!.get!;
    expect(daily.parameters?.map((p) => p.name)).toEqual([
      'p',
      'limit',
      'date',
      'week',
      'month',
      'submitter',
      'sort',
    ]);
    expect(JSON.stringify(daily.responses['200'])).toContain('"submittedOnDailyBy"');
    const links = doc.paths['/api/papers/{arxivId}/links']!.post!;
    expect(JSON.stringify(links.requestBody)).toContain('githubRepo');
    expect(Object.keys(links.responses)).toEqual(['200', '400', '403', '404']);
    const ids = Object.values(doc.paths).flatMap((p) => Object.values(p).map((o) => o.operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('describes the real answers: a documented field list matches what the API sends', async () => {
    const doc = (await (await app.request('/api/openapi.json')).json()) as Doc;
    const schema = JSON.parse(JSON.stringify(doc.paths['/api/daily_papers']!.get!.responses['200'])).content[
      'application/json'
    ].schema.items;
    const items = (await (await app.request('/api/daily_papers?date=2026-01-05')).json()) as Record<
      string,
      unknown
    >[];
    expect(Object.keys(items[0]!).sort()).toEqual(Object.keys(schema.properties).sort());
    const flat = (await (await app.request('/api/papers/2601.00001')).json()) as Record<string, unknown>;
    const flatSchema = JSON.parse(JSON.stringify(doc.paths['/api/papers/{arxivId}']!.get!.responses['200']))
      .content['application/json'].schema;
    expect(Object.keys(flat).sort()).toEqual(Object.keys(flatSchema.properties).sort());
  });

  it('has a readable page rendered on the server, with no script or stylesheet from elsewhere', async () => {
    const html = await (await app.request('/api/docs')).text();
    expect(html).toContain('<code>/api/daily_papers</code>');
    expect(html).toContain('<code>/api/papers/{arxivId}/links</code>');
    expect(html).toContain('/feeds/daily.{format}');
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)="https?:\/\/(?!paperboy\.test)/);
  });
});
