import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { paperRecord, seedPapers } from '../../test/helpers/factories.ts';
import {
  createStoreUnderTest as createTestStore,
  type StoreUnderTest as TestStore,
} from '../../test/helpers/store-under-test.ts';

let store: TestStore;
let app: Awaited<ReturnType<typeof createTestApp>>;

beforeAll(async () => {
  store = await createTestStore();
  app = await createTestApp(store);
  await seedPapers(store, [
    paperRecord({
      title: 'Aligning language models with human preferences',
      abstract: 'We study alignment of models.',
    }),
    paperRecord({
      title: 'Sparse mixture of experts',
      abstract: 'Experts are routed sparsely. Alignment is not studied.',
    }),
    paperRecord({ title: '<b>Bold</b> claims about alignment', abstract: 'An <i>abstract</i> with tags.' }),
  ]);
});
afterAll(async () => {
  await store.dispose();
});

const titles = (html: string) =>
  [...html.matchAll(/<h3><a href="[^"]+">(.*?)<\/a><\/h3>/g)].map((m) => m[1]!);

describe('/papers?q=', () => {
  it('finds papers by stemmed words, title matches first, with the words marked', async () => {
    const res = await app.request('/papers?q=aligning');
    expect(res.status).toBe(200);
    const found = titles(await res.text());
    expect(found).toHaveLength(3);
    expect(found[0]).toBe('<mark>Aligning</mark> language models with human preferences');
  });

  it('escapes the text around the marks', async () => {
    const html = await (await app.request('/papers?q=bold')).text();
    expect(html).toContain('&lt;b&gt;<mark>Bold</mark>&lt;/b&gt; claims about alignment');
    expect(html).not.toContain('<b>Bold');
    expect(html).not.toContain('<i>abstract');
  });

  it('widens to any word when no paper has all of them, and says when nothing matches', async () => {
    expect(titles(await (await app.request('/papers?q=sparse+preferences')).text())).toHaveLength(2);
    expect(await (await app.request('/papers?q=quantum+chromodynamics')).text()).toContain(
      'No paper matches',
    );
  });

  it('answers 400 for an over-long query and never 500 for any input', async () => {
    expect((await app.request(`/papers?q=${'a'.repeat(300)}`)).status).toBe(400);
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 120 }), async (q) => {
        const res = await app.request(`/papers?q=${encodeURIComponent(q)}`);
        expect([200, 400]).toContain(res.status);
      }),
      { numRuns: 300 },
    );
    for (const q of ['"', 'NEAR(', 'title:*', '^a', '(((', 'a OR', 'AND', '-', '\u0001']) {
      expect((await app.request(`/papers?q=${encodeURIComponent(q)}`)).status).toBe(200);
    }
    expect((await app.request(`/papers?q=${encodeURIComponent('\u0000')}`)).status).toBe(400);
  });
});
