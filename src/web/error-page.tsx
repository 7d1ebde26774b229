import type { Child } from 'hono/jsx';
import type { Viewer } from './env.ts';
import { Layout } from './layout.tsx';
import type { Site } from './site.ts';

/** A page for 4xx/5xx answers: the code, what happened in words, and where to go next. */
export function ErrorPage(props: {
  site: Site;
  status: number;
  title: string;
  path: string;
  children?: Child;
  viewer?: Viewer | null;
  csrf?: string | null;
}) {
  return (
    <Layout
      viewer={props.viewer}
      csrf={props.csrf}
      site={props.site}
      meta={{ title: props.title, path: props.path }}
    >
      <p class="error-code">{props.status}</p>
      <h1>{props.title}</h1>
      {props.children}
      <p>
        <a href="/papers">← Back to the daily papers</a>
      </p>
    </Layout>
  );
}
