import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface Received {
  from: string;
  to: string[];
  raw: Buffer;
  mail: ParsedMail;
}

/**
 * A real SMTP server on loopback (smtp-server), as the mail peer of tests and bench/digests.ts: it records every
 * message it accepts. `reject(address)` returns an SMTP reply code to refuse a recipient with (4xx temporary, 5xx
 * permanent). In bench/peers/ (not test/helpers/) so that bench/ never imports test/; tests import it from here too.
 */
export async function startSmtpPeer(options: { reject?: (address: string) => number | null } = {}) {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const code = options.reject?.(address.address) ?? null;
      if (code) {
        const err = Object.assign(new Error(code >= 500 ? 'mailbox unavailable' : 'try again later'), {
          responseCode: code,
        });
        return callback(err);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks);
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          mail: await simpleParser(raw),
        });
        callback();
      });
    },
  });
  // a client that dies mid-message (the crash tests kill it) resets its connection: not the peer's error
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
