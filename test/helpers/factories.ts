import type { Store } from '../../src/db/connect.ts';
import type { HfDailyRecord } from '../../src/ingest/hf-daily.ts';
import { createImportWriter } from '../../src/ingest/import.store.ts';
import { paperFingerprint } from '../../src/ingest/kaggle.ts';
import type { PaperRecord } from '../../src/papers/paper.ts';
import { createApiToken, createUser } from '../../src/users/users.store.ts';

let counter = 0;

/** A paper record with sensible defaults; every call gets a new id unless one is given. */
export function paperRecord(overrides: Partial<PaperRecord> = {}): PaperRecord {
  counter++;
  return {
    id: `2501.${String(counter).padStart(5, '0')}`,
    version: 1,
    title: `A paper number ${counter}`,
    authors: ['Jane Doe', 'John Roe', 'Ada Lovelace', 'Alan Turing'],
    abstract: `An abstract of paper ${counter}. It says what the paper does.`,
    categories: ['cs.CL', 'cs.AI'],
    publishedAt: '2025-01-10T12:00:00.000Z',
    updatedAt: '2025-01-10T12:00:00.000Z',
    comments: null,
    journalRef: null,
    doi: null,
    githubRepo: null,
    projectPage: null,
    ...overrides,
  };
}

/** Stores papers through the real import writer. */
export async function seedPapers(store: Store, records: PaperRecord[]): Promise<void> {
  await createImportWriter(store).writeArxivBatch(
    records.map((record) => ({ record, fingerprint: paperFingerprint(record) })),
  );
}

export interface FeatureSeed {
  paper?: Partial<PaperRecord>;
  day: string;
  upvotes: number;
  submitter?: string | null;
  submittedAt?: string;
}

/** Features papers on days with upvotes, through the real HF import writer. */
export async function seedFeatures(store: Store, seeds: FeatureSeed[]): Promise<PaperRecord[]> {
  const records: HfDailyRecord[] = seeds.map((seed) => ({
    paper: paperRecord(seed.paper),
    feature: {
      day: seed.day,
      submittedAt: seed.submittedAt ?? `${seed.day}T09:00:00.000Z`,
      submitter: seed.submitter === undefined ? 'akhaliq' : seed.submitter,
    },
    upvotes: seed.upvotes,
    githubStars: null,
    aiSummary: null,
    aiSummaryModel: null,
    aiKeywords: [],
  }));
  await createImportWriter(store).writeHfBatch(records);
  return records.map((r) => r.paper);
}

/** `count` members (`${prefix}0`…, email at example.org, no usable password), each with an API token. */
export async function seedMembersWithTokens(
  store: Store,
  count: number,
  prefix = 'member',
): Promise<{ userId: number; token: string }[]> {
  const members: { userId: number; token: string }[] = [];
  for (let i = 0; i < count; i++) {
    const user = await createUser(store.db, {
      username: `${prefix}${i}`,
      email: `${prefix}${i}@example.org`,
      passwordHash: 'x',
    });
    members.push({ userId: user.id, token: await createApiToken(store.db, user.id, 'load') });
  }
  return members;
}
