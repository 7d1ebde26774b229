import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './list-cursor.ts';

describe('the cursor of GET /api/papers', () => {
  it('gives back the position it was made from, dated or not', () => {
    for (const position of [
      { publishedAt: '2025-02-11T00:00:00.000Z', pk: 1 },
      { publishedAt: null, pk: 2_147_483_647 },
    ]) {
      expect(decodeCursor(encodeCursor(position))).toEqual(position);
    }
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1990-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 2_147_483_647 }),
        (date, pk) => {
          const position = { publishedAt: date.toISOString(), pk };
          expect(decodeCursor(encodeCursor(position))).toEqual(position);
        },
      ),
    );
  });

  it('refuses what it did not make: null, never a throw', () => {
    const bad = [
      '',
      'abc',
      '%%%',
      'x'.repeat(500),
      encodeCursor({ publishedAt: null, pk: 1 }).slice(0, -1),
      Buffer.from('1,2025-01-01,0').toString('base64url'),
      Buffer.from('1,2025-01-01,2147483648').toString('base64url'),
      Buffer.from("1,2025' OR 1=1,5").toString('base64url'),
      Buffer.from('2,2025-01-01,5').toString('base64url'),
      Buffer.from('1,2025-01-01,5,6').toString('base64url'),
      Buffer.from('1,\u0000,5').toString('base64url'),
      `${encodeCursor({ publishedAt: null, pk: 1 })}==`,
    ];
    for (const cursor of bad) expect(decodeCursor(cursor)).toBeNull();
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const decoded = decodeCursor(text);
        if (decoded !== null) expect(encodeCursor(decoded)).toBe(text);
      }),
    );
  });
});
