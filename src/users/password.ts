import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Password hashing with scrypt, a memory-hard KDF. OWASP's Password Storage Cheat Sheet recommends scrypt with
 * N = 2^17, r = 8, p = 1 (128 MiB per hash). The cost is a setting (PASSWORD_SCRYPT_LOG_N) so tests can run
 * cheaper; the parameters are stored with each hash, so raising the cost later keeps old hashes valid.
 * Format: scrypt$logN$r$p$salt$hash (base64url).
 */
const KEY_LENGTH = 32;
const R = 8;
const P = 1;
/** at most this many hashes at once: each takes 128·N·r bytes of memory */
const MAX_CONCURRENT = 2;

let running = 0;
const waiting: (() => void)[] = [];

async function withSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function derive(password: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  const N = 2 ** logN;
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r };
  return withSlot(
    () =>
      new Promise((resolve, reject) =>
        scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (err, key) =>
          err ? reject(err) : resolve(key),
        ),
      ),
  );
}

export async function hashPassword(password: string, logN: number): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, logN, R, P);
  return `scrypt$${logN}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** True when the password matches; false for any malformed hash. Compares in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [logN, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (!(logN >= 10 && logN <= 20 && r >= 1 && r <= 32 && p >= 1 && p <= 4)) return false;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  const key = await derive(password, salt, logN, r, p);
  return expected.length === key.length && timingSafeEqual(expected, key);
}

/** A hash of nothing, verified against when a login names no account, so both cases take as long. */
let decoy: Promise<string> | null = null;
export async function spendTimeLikeAVerification(logN: number): Promise<void> {
  decoy ??= hashPassword(randomBytes(12).toString('hex'), logN);
  await verifyPassword('not the password', await decoy);
}
