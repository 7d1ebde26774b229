import fc from 'fast-check';
import { describe, expect, it, type TestContext } from 'vitest';
import { RECORDED, recorded, SYNTHETIC, synthetic } from '../../test/helpers/arxiv-fixtures.ts';
import { isNoRecordsMatch, OaiFormatError, type OaiPage, type OaiRecord, parseOaiPage } from './arxiv-oai.ts';

function load(ctx: TestContext, name: string): Buffer {
  const raw = recorded(name);
  if (!raw) ctx.skip();
  return raw as Buffer;
}

function records(page: OaiPage) {
  if (page.kind !== 'records') throw new Error(`expected records, got ${JSON.stringify(page)}`);
  return page;
}

function paper(list: OaiRecord[], id: string) {
  const found = list.find((r) => r.header.id === id);
  if (found?.status !== 'ok') throw new Error(`no stored record ${id}: ${JSON.stringify(found)}`);
  return found.paper;
}

describe('parseOaiPage on recorded answers', () => {
  it('reads arXivRaw: versions, several sets, two DOIs, &quot;, LaTeX, the old-server token', (ctx) => {
    const page = records(parseOaiPage(load(ctx, RECORDED.oaiRaw)));
    expect(page.responseDate).toBe('2015-01-06T20:49:59.000Z');
    expect(page.records).toHaveLength(6);
    expect(page.records.every((r) => r.status === 'ok')).toBe(true);
    expect(page.token).toEqual({ value: '726959|1001', expiresAt: null, cursor: 0, completeListSize: 58011 });
    const richard = paper(page.records, '0704.0716');
    expect(richard.version).toBe(4);
    expect(richard.publishedAt).toBe('2007-04-05T12:45:03.000Z');
    expect(richard.updatedAt).toBe('2008-11-14T09:07:25.000Z');
    expect(richard.categories).toEqual(['math-ph', 'math.MP']);
    expect(page.records[1]!.header).toEqual({
      identifier: 'oai:arXiv.org:0704.0716',
      id: '0704.0716',
      datestamp: '2014-12-22',
      sets: ['math', 'physics:math-ph'],
      deleted: false,
    });
    const shetty = paper(page.records, '0704.0471');
    expect(shetty.doi).toBe('10.1103/PhysRevC.76.024606 10.1103/PhysRevC.76.039902');
    expect(shetty.abstract).toContain('an extremely " stiff " and " soft " form');
    expect(shetty.abstract).not.toContain('&quot;');
    expect(shetty.authors).toEqual(['D.V. Shetty', 'S.J. Yennello', 'G.A. Souliotis']);
    const summers = paper(page.records, '0704.1586');
    expect(summers.title).toBe(
      'Core excitation in the elastic scattering and breakup of $^{11}$Be on protons',
    );
    expect(summers.authors).toEqual(['N.C. Summers', 'F.M. Nunes']);
    expect(summers.journalRef).toBe('Phys.Rev.C76:014611,2007; Erratum-ibid..C77:049901,2008');
  });

  it('reads the arXiv format: structured authors, created/updated days, six categories, no token', (ctx) => {
    const page = records(parseOaiPage(load(ctx, RECORDED.oaiArxiv)));
    expect(page.records).toHaveLength(3);
    expect(page.token).toBeNull();
    const hoehn = paper(page.records, '1412.8323');
    expect(hoehn.authors).toEqual(['Philipp A Hoehn']);
    expect(hoehn.categories).toEqual([
      'quant-ph',
      'gr-qc',
      'hep-th',
      'math-ph',
      'math.MP',
      'physics.hist-ph',
    ]);
    expect(hoehn.publishedAt).toBe('2014-12-29T00:00:00.000Z');
    expect(hoehn.updatedAt).toBe('2017-12-13T00:00:00.000Z');
    expect(hoehn.version).toBeNull();
    expect(hoehn.title).toBe(
      'Toolbox for reconstructing quantum theory from rules on information acquisition',
    );
    const castro = paper(page.records, '1507.07790');
    expect(castro.doi).toBe('10.1088/1751-8121/aa9c53');
    expect(castro.authors).toEqual(['Luis B. Castro', 'Edilberto O. Silva']);
    expect(castro.abstract).toContain('spin-$1/2$ AB problem');
    expect(paper(page.records, '1607.01710').authors).toHaveLength(5);
  });

  it('reads oai_dc: "Last, First" creators, the Comment description, first and last dates', (ctx) => {
    const page = records(parseOaiPage(load(ctx, RECORDED.oaiDc)));
    expect(page.token?.value).toBe('6960524|1001');
    expect(page.token?.completeListSize).toBe(1162);
    const liepins = paper(page.records, '1303.2033');
    expect(liepins.authors).toEqual(['Vilnis Liepins']);
    expect(liepins.comments).toBe('32 pages, 9 figures');
    expect(liepins.abstract.startsWith('This summary of the doctoral thesis')).toBe(true);
    expect(liepins.publishedAt).toBe('2013-03-08T00:00:00.000Z');
    expect(liepins.updatedAt).toBe('2024-01-23T00:00:00.000Z');
    expect(liepins.categories).toEqual([]);
    expect(paper(page.records, '2401.14034').authors[0]).toBe('Chuankun Li');
  });

  it('reads OAI errors; noRecordsMatch is an empty result, badResumptionToken is not', (ctx) => {
    const bad = parseOaiPage(load(ctx, RECORDED.oaiBadToken));
    expect(bad).toEqual({
      kind: 'error',
      responseDate: '2015-06-23T13:31:17.000Z',
      errors: [
        {
          code: 'badResumptionToken',
          message: 'The resumptionToken supplied is illegal for this repository',
        },
      ],
    });
    expect(isNoRecordsMatch(bad)).toBe(false);
    const none = parseOaiPage(load(ctx, RECORDED.oaiNoRecords));
    expect(none.kind).toBe('error');
    expect(isNoRecordsMatch(none)).toBe(true);
  });
});

describe('parseOaiPage on the new server (synthetic, from its templates)', () => {
  it('reads a middle page: expiring token, cs:cs:AI sets, deleted record, non-ASCII, entities', () => {
    const page = records(parseOaiPage(synthetic(SYNTHETIC.oaiPage2)));
    expect(page.token).toEqual({
      value: 'verb%3DListRecords%26metadataPrefix%3DarXivRaw%26from%3D2014-10-01%26skip%3D1006',
      expiresAt: '2025-03-20T00:00:00.000Z',
      cursor: null,
      completeListSize: null,
    });
    expect(page.records.map((r) => r.status)).toEqual(['ok', 'ok', 'deleted', 'ok', 'ok']);
    expect(page.records[2]!.header).toMatchObject({ id: '2503.00999', deleted: true, sets: ['cs:cs:AI'] });
    const first = paper(page.records, '2503.01234');
    expect(first.authors).toEqual(['Zoë Müller', 'José Álvarez', '王小明']);
    expect(first.title).toBe(
      'Sub-quadratic $\\mathcal{O}(n \\log n)$ attention for long documents & their summaries',
    );
    expect(first.abstract).toContain('$\\tilde{O}(n \\log n)$');
    expect(first.abstract).toContain('Café <tags> and "quotes" survive.');
    expect(first.githubRepo).toBe('https://github.com/example-lab/subquad');
    expect(page.records[0]!.header.sets).toEqual(['cs:cs:CL']);
    expect(paper(page.records, '2503.01235').categories).toEqual(['stat.ML', 'cs.LG']);
    expect(paper(page.records, '0704.0471').version).toBe(2);
  });

  it('ends the list on an empty <resumptionToken/>; old-style ids keep their archive', () => {
    const page = records(parseOaiPage(synthetic(SYNTHETIC.oaiLastPage)));
    expect(page.token).toBeNull();
    const old = paper(page.records, 'hep-th/9901001');
    expect(old.version).toBe(3);
    expect(old.publishedAt).toBe('1999-01-01T10:00:00.000Z');
    expect(old.updatedAt).toBe('2025-03-17T10:00:00.000Z');
  });

  it("reads the token's expiry from `expires` too (an arXiv/oaipmh template wrote that name)", () => {
    const xml = oai(
      `<ListRecords><resumptionToken expires='2025-04-02T00:00:00Z'>skip%3D5</resumptionToken></ListRecords>`,
    );
    expect(records(parseOaiPage(xml)).token?.expiresAt).toBe('2025-04-02T00:00:00.000Z');
  });
});

const HEAD = '<?xml version="1.0" encoding="UTF-8"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">';

function oai(body: string, date = '2025-03-19T04:31:07Z'): string {
  return `${HEAD}<responseDate>${date}</responseDate>${body}</OAI-PMH>`;
}

function rawRecord(identifier: string, metadata: string): string {
  return `<record><header><identifier>${identifier}</identifier><datestamp>2025-03-18</datestamp></header><metadata>${metadata}</metadata></record>`;
}

describe('parseOaiPage on hostile and broken input', () => {
  it('fails the whole page when the XML is cut anywhere (never a half-read page)', (ctx) => {
    for (const xml of [load(ctx, RECORDED.oaiRaw), synthetic(SYNTHETIC.oaiPage2)]) {
      const end = xml.toString('utf8').trimEnd().length;
      for (let cut = 0; cut < end; cut += 41) {
        expect(() => parseOaiPage(xml.subarray(0, cut)), `cut at ${cut}`).toThrow(OaiFormatError);
      }
    }
  });

  it('refuses DOCTYPEs: external entities (XXE) and entity expansion (billion laughs)', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>${oai('<ListRecords/>').replace(/^<\?xml[^>]*>/, '')}`;
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]><OAI-PMH><responseDate>2025-01-01</responseDate><ListRecords><record><header><identifier>oai:arXiv.org:2501.00001</identifier></header><metadata><arXivRaw><id>2501.00001</id><title>&lol2;</title></arXivRaw></metadata></record></ListRecords></OAI-PMH>`;
    const bare = oai('<!ENTITY x "y"><ListRecords/>');
    for (const xml of [xxe, laughs, bare]) {
      expect(() => parseOaiPage(xml)).toThrow(/DOCTYPE|ENTITY/);
    }
  });

  it('refuses documents over the size cap, non-UTF-8 encodings, deep nesting and non-OAI XML', () => {
    expect(() => parseOaiPage(oai('<ListRecords/>'), 50)).toThrow(/over the 50-byte limit/);
    expect(() =>
      parseOaiPage(oai('<ListRecords/>').replace('encoding="UTF-8"', 'encoding="UTF-16"')),
    ).toThrow(/encoding/);
    const deep = oai(`<ListRecords>${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}</ListRecords>`);
    expect(() => parseOaiPage(deep)).toThrow(OaiFormatError);
    expect(() => parseOaiPage('<html><body>Service unavailable</body></html>')).toThrow(/not an OAI-PMH/);
    expect(() => parseOaiPage('')).toThrow(/empty/);
    expect(() => parseOaiPage(oai('<GetRecord/>'))).toThrow(/neither ListRecords nor an error/);
    expect(() => parseOaiPage(oai('<ListRecords/>', 'yesterday'))).toThrow(/responseDate/);
  });

  it('rejects bad records with a reason and keeps the good ones of the page', () => {
    const good =
      '<arXivRaw><id>2501.00001</id><title>Good</title><authors>A. B</authors><categories>cs.AI</categories></arXivRaw>';
    const page = records(
      parseOaiPage(
        oai(
          `<ListRecords>${[
            rawRecord('oai:arXiv.org:2501.00001', good),
            rawRecord('oai:example.org:42', good),
            rawRecord('oai:arXiv.org:2501.00002', '<other/>'),
            rawRecord('oai:arXiv.org:2501.00003', good),
            rawRecord('oai:arXiv.org:2501.00004', '<arXivRaw><id>2501.00004</id><title> </title></arXivRaw>'),
            rawRecord(
              'oai:arXiv.org:2501.00005',
              `<arXivRaw><id>2501.00005</id><title>${'x'.repeat(5000)}</title></arXivRaw>`,
            ),
            '<record><header status="deleted"><identifier>nonsense</identifier></header></record>',
            '<record/>',
          ].join('')}</ListRecords>`,
        ),
      ),
    );
    const reasons = page.records.map((r) => (r.status === 'rejected' ? r.reason : r.status));
    expect(reasons).toEqual([
      'ok',
      'no arXiv id in identifier "oai:example.org:42"',
      'record without arXivRaw, arXiv or oai_dc metadata',
      'metadata id 2501.00001 differs from header id 2501.00003',
      'missing title (2501.00004)',
      'title longer than 1000 characters (2501.00005)',
      'deleted record without an arXiv id',
      'no arXiv id in identifier ""',
    ]);
  });

  it('never throws anything but OaiFormatError, whatever the bytes (fuzzed)', () => {
    const pieces = fc.constantFrom(
      HEAD,
      '<responseDate>2025-01-01T00:00:00Z</responseDate>',
      '<ListRecords>',
      '</ListRecords>',
      '<record><header><identifier>oai:arXiv.org:2501.00001</identifier></header>',
      '<metadata><arXivRaw><id>2501.00001</id><title>T</title>',
      '</arXivRaw></metadata></record>',
      '<resumptionToken cursor="x">',
      '</resumptionToken>',
      '&#0;&#xD800;&amp;&bogus;',
      '</OAI-PMH>',
      '<error code="badArgument">',
      '</error>',
      '<![CDATA[ <x> ]]>',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(pieces, fc.string()), { maxLength: 30 }), (parts) => {
        try {
          const page = parseOaiPage(parts.join(''));
          expect(['records', 'error']).toContain(page.kind);
        } catch (err) {
          expect(err).toBeInstanceOf(OaiFormatError);
        }
      }),
      { numRuns: 400 },
    );
  });
});
