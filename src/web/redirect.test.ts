import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { localPath } from './redirect.ts';

const ORIGIN = 'https://papers.lab.example';

/** Where a browser goes with this Location on a page of the origin. */
const browserGoesTo = (location: string) => new URL(location, `${ORIGIN}/papers/2401.00001`);

describe('localPath: the one gate for request-supplied redirect targets', () => {
  test.each([
    ['/\t/evil.example/', 'a tab the browser drops'],
    ['/\n/evil.example', 'a newline'],
    ['/\r\n/evil.example', 'CR LF'],
    ['/%09/evil.example', 'a percent-encoded tab'],
    ['/.//evil.example', 'a dot segment before //'],
    ['/@evil.example', 'an @'],
    ['//evil.example', 'a scheme-relative URL'],
    ['/\\evil.example', 'a backslash'],
    ['\\\\evil.example', 'two backslashes'],
    ['https://evil.example/', 'another origin'],
    ['https://papers.lab.example@evil.example/', 'our host as userinfo'],
    ['javascript:alert(1)', 'a script URL'],
    ['data:text/html,<script>alert(1)</script>', 'a data URL'],
    [' //evil.example', 'leading space'],
    ['\u0000//evil.example', 'a NUL'],
  ])('%j (%s) never leaves the origin', (raw) => {
    const location = localPath(raw, ORIGIN);
    expect(browserGoesTo(location).origin).toBe(ORIGIN);
    expect(location).not.toMatch(/[\t\r\n\0]/);
  });

  test('same-origin paths are kept, with their query and fragment, and re-serialised', () => {
    expect(localPath('/papers/2401.00001?x=1#comments', ORIGIN)).toBe('/papers/2401.00001?x=1#comments');
    expect(localPath(`${ORIGIN}/collections/3`, ORIGIN)).toBe('/collections/3');
    expect(localPath('/search?q=a b', ORIGIN)).toBe('/search?q=a%20b');
    expect(localPath('/pa\tpers', ORIGIN)).toBe('/papers');
    expect(localPath('/%09/evil.example', ORIGIN)).toBe('/%09/evil.example');
  });

  test('no target, a non-string, an unparsable or a very long one gives the fallback', () => {
    expect(localPath(undefined, ORIGIN)).toBe('/');
    expect(localPath(['/a'], ORIGIN)).toBe('/');
    expect(localPath('', ORIGIN, '/settings')).toBe('/settings');
    expect(localPath('http://[::1', ORIGIN)).toBe('/');
    expect(localPath(`/${'a'.repeat(3000)}`, ORIGIN)).toBe('/');
    expect(localPath('//evil.example', ORIGIN, '/for-you')).toBe('/for-you');
  });

  test('property: for any string, the browser resolving the Location stays on the origin', () => {
    const piece = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.constantFrom('/', '//', '\\', '\t', '\n', '\r', '@', '.', '..', '%2f', '%5c', '%09', ':', '?', '#'),
      fc.constantFrom('evil.example', 'https:', 'http://', 'javascript:', ORIGIN, ' ', '\u3000', '\ufeff'),
    );
    const target = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.array(piece, { maxLength: 8 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(target, (raw) => {
        const location = localPath(raw, ORIGIN);
        // a Location a Headers object accepts, that resolves on the origin, from any page of it
        new Headers({ location });
        return (
          location.startsWith('/') &&
          !location.startsWith('//') &&
          browserGoesTo(location).origin === ORIGIN &&
          new URL(location, `${ORIGIN}/`).origin === ORIGIN
        );
      }),
      { numRuns: 5000 },
    );
  });
});
