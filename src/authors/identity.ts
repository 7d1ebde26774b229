import { authorKey, couldBeSamePerson, isAbbreviated } from './names.ts';

/**
 * Which papers belong on an author's page. Pure. The rule is conservative (docs/decisions.md D42):
 *
 * 1. A paper belongs to a name when one of its authors has the same key (`authorKey`: case, accents,
 *    punctuation, whitespace and "Family, Given" order folded). Different full names are never merged.
 * 2. A paper listing only an abbreviated form ("J. Doe") joins a full name's page ("Jane Doe") only with evidence:
 *    the abbreviation is compatible (same family name, initials of the given names in order), no *other*
 *    compatible full name appears among the candidate papers (a "John Doe" makes "J. Doe" ambiguous), and the
 *    paper shares at least one co-author with the papers already on the page. Repeated until nothing changes,
 *    so a chain of shared co-authors counts.
 * 3. The page of an abbreviated name shows only its exact papers, and names the full names it may stand for.
 */
export interface AuthoredPaper {
  id: string;
  authors: string[];
}

export interface Attribution {
  /** papers whose author list has exactly this name */
  exact: string[];
  /** papers under an abbreviation, attributed by shared co-authors */
  merged: { paperId: string; as: string }[];
  /** abbreviated or full names that may be the same person but lack evidence (or are ambiguous) */
  related: string[];
}

export function attributePapers(name: string, candidates: AuthoredPaper[]): Attribution {
  const key = authorKey(name);
  const keyed = candidates.map((p) => ({ id: p.id, keys: p.authors.map(authorKey), names: p.authors }));
  const exact = keyed.filter((p) => p.keys.includes(key));
  const fullNames = new Set<string>();
  const abbreviations = new Set<string>();
  for (const p of keyed) {
    for (const k of p.keys) {
      if (k === key) continue;
      if (isAbbreviated(key) ? couldBeSamePerson(key, k) : couldBeSamePerson(k, key)) abbreviations.add(k);
      else if (!isAbbreviated(k) && isAbbreviated(key) === false && sameFamilyAndInitial(k, key))
        fullNames.add(k);
    }
  }
  if (isAbbreviated(key)) {
    // the page of "J. Doe": its own papers; full names it may stand for are only named
    return { exact: exact.map((p) => p.id), merged: [], related: [...abbreviations].sort() };
  }
  const onPage = new Set(exact.map((p) => p.id));
  const coauthors = new Set(exact.flatMap((p) => p.keys.filter((k) => k !== key)));
  const merged: { paperId: string; as: string }[] = [];
  const ambiguous = new Set<string>();
  for (const abbr of abbreviations) {
    const rivals = [...fullNames].filter((f) => couldBeSamePerson(abbr, f));
    if (rivals.length > 0) ambiguous.add(abbr);
  }
  let changed = true;
  while (changed) {
    changed = false;
    for (const p of keyed) {
      if (onPage.has(p.id)) continue;
      const i = p.keys.findIndex((k) => abbreviations.has(k) && !ambiguous.has(k));
      if (i === -1) continue;
      const others = p.keys.filter((_, j) => j !== i);
      if (!others.some((k) => coauthors.has(k))) continue;
      onPage.add(p.id);
      merged.push({ paperId: p.id, as: p.names[i]! });
      for (const k of others) coauthors.add(k);
      changed = true;
    }
  }
  const usedAbbreviations = new Set(merged.map((m) => authorKey(m.as)));
  const related = [...abbreviations].filter((a) => !usedAbbreviations.has(a) || ambiguous.has(a));
  return { exact: exact.map((p) => p.id), merged, related: [...related, ...fullNames].sort() };
}

/** Two full names that share family name and first initial ("jane doe", "john doe"): possible rivals. */
function sameFamilyAndInitial(a: string, b: string): boolean {
  const wa = a.split(' ');
  const wb = b.split(' ');
  return wa.at(-1) === wb.at(-1) && wa[0]?.[0] === wb[0]?.[0];
}
