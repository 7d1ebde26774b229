import type { Hono } from 'hono';
import type { AppEnv } from '../../src/web/env.ts';

/** A browser-like client for `app.request()`: keeps the session cookie and the page's CSRF token. */
let clients = 0;

export class TestClient {
  cookie = '';
  csrf = '';
  /** each client comes from its own address (the test app trusts X-Forwarded-For), as people do */
  readonly address = `198.51.100.${++clients % 250}`;
  constructor(private readonly app: Hono<AppEnv>) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookie) headers.set('cookie', this.cookie);
    if (!headers.has('x-forwarded-for')) headers.set('x-forwarded-for', this.address);
    const res = await this.app.request(path, { ...init, headers, redirect: 'manual' });
    const set = res.headers.get('set-cookie');
    if (set) {
      const m = /pb_session=([^;]*)/.exec(set);
      if (m) this.cookie = m[1] ? `pb_session=${m[1]}` : '';
    }
    return res;
  }

  /** Loads a page and keeps its CSRF token. */
  async page(path: string): Promise<{ status: number; html: string }> {
    const res = await this.request(path);
    const html = await res.text();
    const m = /name="_csrf" value="([^"]+)"/.exec(html);
    if (m) this.csrf = m[1]!;
    return { status: res.status, html };
  }

  /** Posts a form the way a browser on this site does (same-origin, with the CSRF field). */
  post(
    path: string,
    fields: Record<string, string>,
    extraHeaders: Record<string, string> = {},
  ): Promise<Response> {
    const body = new URLSearchParams({ ...(this.csrf ? { _csrf: this.csrf } : {}), ...fields });
    return this.request(path, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'http://paperboy.test',
        ...extraHeaders,
      },
    });
  }

  async signUp(username: string, password = 'correct horse battery'): Promise<this> {
    const res = await this.post('/signup', { username, email: `${username}@example.org`, password });
    if (res.status !== 303) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
    await this.page('/settings');
    return this;
  }
}
