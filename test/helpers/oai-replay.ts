import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Handler, send } from './local-server.ts';

/**
 * An OAI-PMH server replaying recorded and synthetic pages as one list: the first page answers any
 * `ListRecords` with a `metadataPrefix`, each later page answers the token of the page before. Faults can be
 * queued per page to stand for arXiv's and the network's failures.
 */
export interface ReplayList {
  /** the answer to a request that starts a list */
  first: Buffer;
  /** token → the page that answers it */
  byToken: Record<string, Buffer>;
}

/** 'first' or the token the request carries */
export type PageKey = string;

export type Fault = (req: IncomingMessage, res: ServerResponse) => void;

export interface OaiReplay {
  handler: Handler;
  /** the keys of the pages asked for, in order */
  asked: PageKey[];
  /** makes the next `times` requests for `key` fail with `fault` */
  inject(key: PageKey, fault: Fault, times?: number): void;
}

export function oaiReplay(list: ReplayList): OaiReplay {
  const faults: { key: PageKey; fault: Fault; times: number }[] = [];
  const asked: PageKey[] = [];
  const handler: Handler = (req, res, url) => {
    const params = url.searchParams;
    if (params.get('verb') !== 'ListRecords') return send(res, 400, 'bad verb');
    const token = params.get('resumptionToken');
    if (token !== null && [...params.keys()].length !== 2) {
      return send(res, 400, 'a resumptionToken must be the only argument besides verb');
    }
    const key = token ?? 'first';
    asked.push(key);
    const queued = faults.find((f) => f.key === key && f.times > 0);
    if (queued) {
      queued.times--;
      return queued.fault(req, res);
    }
    const body = token === null ? list.first : list.byToken[token];
    if (!body) return send(res, 200, badResumptionToken());
    return send(res, 200, body);
  };
  return {
    handler,
    asked,
    inject(key, fault, times = 1) {
      faults.push({ key, fault, times });
    },
  };
}

export const faults = {
  status:
    (status: number, headers: Record<string, string> = {}): Fault =>
    (_req, res) =>
      send(res, status, 'failure', headers),
  reset: (): Fault => (req) => {
    req.socket.destroy();
  },
  /** never answers: the client's timeout fires */
  silence: (): Fault => () => undefined,
  /** a well-formed HTTP answer whose XML stops in the middle */
  truncated:
    (body: Buffer): Fault =>
    (_req, res) =>
      send(res, 200, body.subarray(0, Math.floor(body.length / 2))),
  body:
    (body: Buffer | string): Fault =>
    (_req, res) =>
      send(res, 200, body),
};

function badResumptionToken(): string {
  return `<?xml version="1.0" encoding="UTF-8"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2025-03-19T04:31:00Z</responseDate><request verb="ListRecords">https://oaipmh.arxiv.org/oai</request><error code="badResumptionToken">synthetic: unknown token</error></OAI-PMH>`;
}

/** A copy of a synthetic new-server page whose token expires when asked (real-clock tests need a future date). */
export function withExpiry(page: Buffer, expires: string): Buffer {
  return Buffer.from(page.toString('utf8').replace(/expirationDate='[^']*'/, `expirationDate='${expires}'`));
}
