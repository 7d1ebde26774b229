import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeToken, readToken } from './links.ts';

const secret = randomBytes(32);

describe('signed digest links', () => {
  it('reads back its own tokens, for their purpose only', () => {
    const token = makeToken(secret, 'unsubscribe', 42);
    expect(readToken(secret, 'unsubscribe', token)).toBe(42);
    expect(readToken(secret, 'manage', token)).toBeNull();
    expect(readToken(randomBytes(32), 'unsubscribe', token)).toBeNull();
  });

  it('refuses expired, tampered and malformed tokens', () => {
    const token = makeToken(secret, 'confirm', 7, 1_000);
    expect(readToken(secret, 'confirm', token, 999)).toBe(7);
    expect(readToken(secret, 'confirm', token, 1_001)).toBeNull();
    expect(readToken(secret, 'confirm', token.replace(/^7\./, '8.'), 999)).toBeNull();
    expect(readToken(secret, 'confirm', token.replace('.1000.', '.0.'), 999)).toBeNull();
    for (const bad of ['', '1.0', '1.0.x', `${'9'.repeat(20)}.0.${'a'.repeat(43)}`, "1.0.aaaa'--"]) {
      expect(readToken(secret, 'confirm', bad)).toBeNull();
    }
  });
});
