import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
  /** a fixed Message-ID, so a message sent again after a crash is recognisably the same one */
  messageId?: string;
}

/** A delivery failure, classified by the SMTP reply code (RFC 5321 §4.2.1): 4xx temporary, 5xx permanent. */
export function isPermanentFailure(err: unknown): boolean {
  const code = (err as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

export interface Mailer {
  /** sends one message; resolves with the Message-ID (and the file, without SMTP) */
  send(message: MailMessage): Promise<{ messageId: string; file?: string }>;
  /** closes pooled connections (a command that sent mail can then exit) */
  close(): void;
}

/**
 * Mail over SMTP when SMTP_HOST is set; otherwise each message is written to DATA_DIR/outbox/*.eml and a log
 * line says where, so a development instance needs no mail server. Addresses and subjects go through
 * nodemailer, which refuses CR/LF in headers (no header injection).
 */
export function createMailer(config: Config, log: Logger): Mailer {
  const from = config.MAIL_FROM;
  if (config.SMTP_HOST) {
    const transport = nodemailer.createTransport({
      pool: true,
      maxConnections: config.SMTP_POOL_SIZE,
      maxMessages: 1000,
      host: config.SMTP_HOST,
      port: config.SMTP_PORT,
      secure: config.SMTP_TLS === 'tls',
      ignoreTLS: config.SMTP_TLS === 'none',
      requireTLS: config.SMTP_TLS === 'starttls',
      ...(config.SMTP_USER ? { auth: { user: config.SMTP_USER, pass: config.SMTP_PASSWORD ?? '' } } : {}),
    });
    return {
      async send(message) {
        const info = await transport.sendMail({ from, ...message });
        log.debug({ messageId: info.messageId }, 'mail sent');
        return { messageId: info.messageId };
      },
      close: () => transport.close(),
    };
  }
  const outbox = join(config.DATA_DIR, 'outbox');
  const stream = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(message) {
      const info = await stream.sendMail({ from, ...message });
      await mkdir(outbox, { recursive: true });
      const file = join(
        outbox,
        `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.eml`,
      );
      await writeFile(file, info.message as Buffer);
      log.info({ file }, 'no SMTP configured: mail written to the outbox');
      return { messageId: info.messageId, file };
    },
    close: () => {},
  };
}
