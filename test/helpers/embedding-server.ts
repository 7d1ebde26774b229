/**
 * Moved to bench/peers/embedding-server.ts (bench/ may not import test/). This re-export stays only until
 * src/search/embeddings/embeddings.test.ts imports it from there; then delete this file.
 */
export * from '../../bench/peers/embedding-server.ts';
