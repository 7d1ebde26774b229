/** Reading the app's route table (`app.routes`) in tests that walk every route. */

/** Splits a Hono route path into literal text and parameters (patterns may hold braces: `{4,5}`). */
export function routeParts(path: string): ({ literal: string } | { name: string; pattern: string | null })[] {
  const parts: ({ literal: string } | { name: string; pattern: string | null })[] = [];
  let i = 0;
  let literal = '';
  while (i < path.length) {
    if (path[i] === ':' && (i === 0 || path[i - 1] === '/')) {
      if (literal) parts.push({ literal });
      literal = '';
      let j = i + 1;
      while (j < path.length && /\w/.test(path[j]!)) j++;
      const name = path.slice(i + 1, j);
      let pattern: string | null = null;
      if (path[j] === '{') {
        let depth = 0;
        let k = j;
        for (; k < path.length; k++) {
          if (path[k] === '{') depth++;
          else if (path[k] === '}' && --depth === 0) break;
        }
        pattern = path.slice(j + 1, k);
        j = k + 1;
      }
      parts.push({ name, pattern });
      i = j;
    } else literal += path[i++];
  }
  if (literal) parts.push({ literal });
  return parts;
}
