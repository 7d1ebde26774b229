/**
 * A real, tiny embedding model folder for @huggingface/transformers, made here (no model can be downloaded on
 * these machines): a BERT-style WordPiece tokenizer over a small vocabulary and an ONNX graph of one `Gather`
 * (token id → a word vector), so the pipeline's mean pooling gives the average of the words' vectors. Words of
 * one topic share a direction, so texts on one topic come out close. The ONNX protobuf is written by hand
 * (onnx.proto3: ModelProto, GraphProto, NodeProto, TensorProto, ValueInfoProto).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Words by topic; each topic is one dimension of the vectors. */
export const TOPICS: Record<string, string[]> = {
  animals: ['dog', 'dogs', 'puppy', 'puppies', 'canine', 'pet', 'pets', 'cat', 'cats', 'training'],
  money: [
    'stock',
    'stocks',
    'market',
    'markets',
    'inflation',
    'price',
    'prices',
    'finance',
    'economy',
    'bank',
  ],
  cars: [
    'car',
    'cars',
    'electric',
    'vehicle',
    'vehicles',
    'battery',
    'range',
    'automobile',
    'drive',
    'charge',
  ],
  sport: ['soccer', 'football', 'tactics', 'team', 'teams', 'goal', 'match', 'players', 'pressing', 'league'],
};

const SPECIAL = ['[PAD]', '[UNK]', '[CLS]', '[SEP]'];

// --- a minimal protobuf writer ---------------------------------------------------------------------------
type Bytes = number[];
function varint(n: number | bigint): Bytes {
  let v = BigInt(n);
  const out: Bytes = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return out;
}
const key = (field: number, wire: number) => varint((field << 3) | wire);
const int = (field: number, n: number | bigint): Bytes => [...key(field, 0), ...varint(n)];
const bytes = (field: number, b: Bytes | Uint8Array): Bytes => [...key(field, 2), ...varint(b.length), ...b];
const str = (field: number, s: string): Bytes => bytes(field, [...Buffer.from(s, 'utf8')]);

const FLOAT = 1;
const INT64 = 7;

function valueInfo(name: string, elemType: number, dims: (number | string)[]): Bytes {
  const shape = dims.flatMap((d) => bytes(1, typeof d === 'number' ? int(1, d) : str(2, d)));
  const tensorType = [...int(1, elemType), ...bytes(2, shape)];
  return [...str(1, name), ...bytes(2, bytes(1, tensorType))];
}

function onnxModel(vectors: Float32Array, vocabSize: number, dims: number): Uint8Array {
  const raw = new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength);
  const initializer = [
    ...int(1, vocabSize),
    ...int(1, dims),
    ...int(2, FLOAT),
    ...str(8, 'word_vectors'),
    ...bytes(9, raw),
  ];
  const gather = [
    ...str(1, 'word_vectors'),
    ...str(1, 'input_ids'),
    ...str(2, 'last_hidden_state'),
    ...str(3, 'lookup'),
    ...str(4, 'Gather'),
  ];
  const graph = [
    ...bytes(1, gather),
    ...str(2, 'tiny-word-average'),
    ...bytes(5, initializer),
    ...bytes(11, valueInfo('input_ids', INT64, ['batch', 'sequence'])),
    ...bytes(11, valueInfo('attention_mask', INT64, ['batch', 'sequence'])),
    ...bytes(12, valueInfo('last_hidden_state', FLOAT, ['batch', 'sequence', dims])),
  ];
  const model = [
    ...int(1, 8), // ir_version
    ...str(2, 'paperboy-tests'),
    ...bytes(7, graph),
    ...bytes(8, [...str(1, ''), ...int(2, 13)]), // opset 13
  ];
  return Uint8Array.from(model);
}

/** Writes the model folder and returns its path. */
export function writeTinyModel(dir: string, name = 'tiny-word-average'): string {
  const folder = join(dir, name);
  mkdirSync(join(folder, 'onnx'), { recursive: true });
  const topics = Object.keys(TOPICS);
  const words = topics.flatMap((t) => TOPICS[t]!);
  const vocab = [...SPECIAL, ...words];
  const dims = topics.length;
  const vectors = new Float32Array(vocab.length * dims);
  // special tokens ([CLS], [SEP]…) get a small equal vector; a topic's words point along their topic
  for (let i = 0; i < SPECIAL.length; i++) for (let d = 0; d < dims; d++) vectors[i * dims + d] = 0.05;
  words.forEach((word, w) => {
    const topic = topics.findIndex((t) => TOPICS[t]!.includes(word));
    for (let d = 0; d < dims; d++)
      vectors[(SPECIAL.length + w) * dims + d] = d === topic ? 1 : 0.1 * ((w + d) % 3);
  });
  writeFileSync(join(folder, 'onnx', 'model.onnx'), onnxModel(vectors, vocab.length, dims));
  writeFileSync(
    join(folder, 'config.json'),
    JSON.stringify({
      model_type: 'bert',
      architectures: ['BertModel'],
      hidden_size: dims,
      vocab_size: vocab.length,
    }),
  );
  writeFileSync(
    join(folder, 'tokenizer_config.json'),
    JSON.stringify({
      tokenizer_class: 'BertTokenizer',
      do_lower_case: true,
      model_max_length: 512,
      pad_token: '[PAD]',
      unk_token: '[UNK]',
      cls_token: '[CLS]',
      sep_token: '[SEP]',
    }),
  );
  writeFileSync(
    join(folder, 'tokenizer.json'),
    JSON.stringify({
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: SPECIAL.map((content, id) => ({
        id,
        content,
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: false,
        special: true,
      })),
      normalizer: {
        type: 'BertNormalizer',
        clean_text: true,
        handle_chinese_chars: true,
        strip_accents: null,
        lowercase: true,
      },
      pre_tokenizer: { type: 'BertPreTokenizer' },
      post_processor: {
        type: 'TemplateProcessing',
        single: [
          { SpecialToken: { id: '[CLS]', type_id: 0 } },
          { Sequence: { id: 'A', type_id: 0 } },
          { SpecialToken: { id: '[SEP]', type_id: 0 } },
        ],
        pair: [
          { SpecialToken: { id: '[CLS]', type_id: 0 } },
          { Sequence: { id: 'A', type_id: 0 } },
          { SpecialToken: { id: '[SEP]', type_id: 0 } },
          { Sequence: { id: 'B', type_id: 1 } },
          { SpecialToken: { id: '[SEP]', type_id: 1 } },
        ],
        special_tokens: {
          '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] },
          '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] },
        },
      },
      decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
      model: {
        type: 'WordPiece',
        unk_token: '[UNK]',
        continuing_subword_prefix: '##',
        max_input_chars_per_word: 100,
        vocab: Object.fromEntries(vocab.map((w, i) => [w, i])),
      },
    }),
  );
  return folder;
}
