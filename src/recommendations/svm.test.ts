import { describe, expect, it } from 'vitest';
import { recommendFor } from './recommend.ts';
import { decision, resetModel, trainLinearSvm } from './svm.ts';
import { DIMENSIONS, hashToken, idfFromDocuments, sparseDot, textBuckets, vectorize } from './tfidf.ts';

const docs = [
  'robot grasping with dexterous hands',
  'robot manipulation policy learning',
  'speech recognition with transformers',
  'audio generation and speech synthesis',
  'theorem proving with language models',
];

describe('tf-idf with hashing', () => {
  it('hashes words and word pairs into fixed buckets and normalises vectors', () => {
    expect(hashToken('robot')).toBe(hashToken('robot'));
    expect(hashToken('robot')).toBeLessThan(DIMENSIONS);
    const buckets = textBuckets('The Robot, the robot!');
    // stop words out; "robot", "robot robot"
    expect(buckets).toEqual([hashToken('robot'), hashToken('robot'), hashToken('robot robot')]);
    const idf = idfFromDocuments(docs.map(textBuckets));
    const x = vectorize(textBuckets(docs[0]!), idf);
    expect(sparseDot(x, x)).toBeCloseTo(1, 5);
    // a rare word weighs more than a common one (idf)
    expect(idf[hashToken('grasping')]!).toBeGreaterThan(idf[hashToken('robot')]!);
  });
});

describe('linear SVM by dual coordinate descent', () => {
  it('separates two topics and leaves the scratch weights zeroed', () => {
    const idf = idfFromDocuments(docs.map(textBuckets));
    const x = docs.map((d) => vectorize(textBuckets(d), idf));
    const examples = [
      { x: x[0]!, y: 1 as const },
      { x: x[1]!, y: 1 as const },
      { x: x[2]!, y: -1 as const },
      { x: x[3]!, y: -1 as const },
    ];
    const w = new Float64Array(DIMENSIONS + 1);
    const model = trainLinearSvm(examples, { c: 1 }, w);
    expect(decision(model, x[0]!)).toBeGreaterThan(0);
    expect(decision(model, x[3]!)).toBeLessThan(0);
    const unseenRobot = vectorize(textBuckets('a robot arm'), idf);
    const unseenSpeech = vectorize(textBuckets('speech translation'), idf);
    expect(decision(model, unseenRobot)).toBeGreaterThan(decision(model, unseenSpeech));
    resetModel(w, examples);
    expect(w.every((v) => v === 0)).toBe(true);
  });

  it('recommends the closest topic first, with the most similar positive as the reason', () => {
    const idf = idfFromDocuments(docs.map(textBuckets));
    const vec = (t: string) => vectorize(textBuckets(t), idf);
    const recs = recommendFor(
      [
        { id: 'p1', kind: 'upvoted', x: vec(docs[0]!) },
        { id: 'p2', kind: 'collected', x: vec(docs[1]!) },
      ],
      [
        { id: 'n1', x: vec(docs[2]!) },
        { id: 'n2', x: vec(docs[3]!) },
        { id: 'n3', x: vec(docs[4]!) },
      ],
      [
        { id: 'c1', x: vec('speech enhancement for audio') },
        { id: 'c2', x: vec('robot manipulation from video') },
        { id: 'p1', x: vec(docs[0]!) },
        { id: 'c3', x: vec('robot grasping benchmark') },
      ],
      { k: 2 },
    );
    expect(recs.map((r) => r.paperId).sort()).toEqual(['c2', 'c3']);
    const byId = new Map(recs.map((r) => [r.paperId, r]));
    expect(byId.get('c3')).toMatchObject({ reasonPaperId: 'p1', reasonKind: 'upvoted' });
    expect(byId.get('c2')).toMatchObject({ reasonPaperId: 'p2', reasonKind: 'collected' });
    expect(recommendFor([], [], [{ id: 'c1', x: vec('x') }], { k: 5 })).toEqual([]);
  });
});
