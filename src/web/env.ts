import type { Role } from '../db/schema.ts';

/** The member a request comes from (the users domain finds them; every page shows who is signed in). */
export interface Viewer {
  id: number;
  username: string;
  role: Role;
  showUpvotes: boolean;
}

/** What middleware puts on each request's context for the routes. */
export interface AppEnv {
  Variables: {
    /** the member signed in by session cookie or API token, or null */
    viewer: Viewer | null;
    /** how the viewer was identified: a browser session needs CSRF tokens, an API token does not */
    auth: 'session' | 'token' | null;
    /** the CSRF token to put in forms (session only) */
    csrf: string | null;
    /** the client's address, for rate limits */
    clientAddress: string;
    /** this request's id, in the X-Request-Id header, the log and the error page */
    requestId: string;
    /** the instance's origin (from BASE_URL), against which request-supplied redirect targets are resolved */
    origin: string;
    /** the viewer's unread notifications, for the header (set for signed-in pages only: src/follows/unread.ts) */
    unread?: number;
  };
}
