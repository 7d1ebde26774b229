import { createInterface } from 'node:readline';
import type { Config } from '../config.ts';
import type { Store } from '../db/connect.ts';
import { hashPassword } from '../users/password.ts';
import { AccountTakenError, createUser } from '../users/users.store.ts';
import { emailSchema, passwordSchema, usernameSchema } from '../users/validation.ts';
import { UsageError } from './command.ts';

/**
 * `paperboy admin create USERNAME EMAIL`: makes an admin account from the shell. The password is read from
 * PAPERBOY_ADMIN_PASSWORD or from the first line of standard input (never from the command line, where other
 * users of the machine could see it in the process list).
 */
export async function runAdminCreate(
  store: Store,
  config: Config,
  username: string,
  email: string,
): Promise<void> {
  const name = usernameSchema.safeParse(username);
  if (!name.success) throw new UsageError(`username: ${name.error.issues[0]!.message}`);
  const address = emailSchema.safeParse(email);
  if (!address.success) throw new UsageError(`email: ${address.error.issues[0]!.message}`);
  const given = process.env.PAPERBOY_ADMIN_PASSWORD ?? (await readFirstLine());
  const password = passwordSchema.safeParse(given);
  if (!password.success) throw new UsageError(`password: ${password.error.issues[0]!.message}`);
  try {
    await createUser(store.db, {
      username: name.data,
      email: address.data,
      passwordHash: await hashPassword(password.data, config.PASSWORD_SCRYPT_LOG_N),
      role: 'admin',
    });
  } catch (err) {
    if (err instanceof AccountTakenError) throw new UsageError(`that ${err.field} already has an account`);
    throw err;
  }
  process.stdout.write(`Admin ${name.data} created. Log in at ${config.BASE_URL}/login\n`);
}

async function readFirstLine(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Password (at least 10 characters): ');
  const lines = createInterface({ input: process.stdin, terminal: false });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return '';
}
