/**
 * Moved to bench/peers/smtp-peer.ts (bench/ may not import test/). This re-export stays only until
 * src/digests/digests.test.ts and test/digest-crash.test.ts import it from there; then delete this file.
 */
export * from '../../bench/peers/smtp-peer.ts';
