/** Pieces of forms: the CSRF field, labelled inputs with their error, a notice. */
export function CsrfField(props: { csrf: string | null }) {
  return props.csrf ? <input type="hidden" name="_csrf" value={props.csrf} /> : null;
}

export function Field(props: {
  label: string;
  name: string;
  type?: string;
  value?: string;
  error?: string | undefined;
  autocomplete?: string;
  required?: boolean;
  maxlength?: number;
  hint?: string;
}) {
  const id = `field-${props.name}`;
  return (
    <p class="field">
      <label for={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value ?? ''}
        autocomplete={props.autocomplete}
        required={props.required ?? true}
        maxlength={props.maxlength}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={props.error ? `${id}-error` : undefined}
      />
      {props.hint ? <small class="muted">{props.hint}</small> : null}
      {props.error ? (
        <small class="error" id={`${id}-error`}>
          {props.error}
        </small>
      ) : null}
    </p>
  );
}

export function Notice(props: { kind: 'error' | 'ok'; children: unknown }) {
  return (
    <p class={`notice notice-${props.kind}`} role={props.kind === 'error' ? 'alert' : 'status'}>
      {props.children as string}
    </p>
  );
}

/** Reads a form body as strings only (files and repeated fields are ignored), without NUL characters. */
export async function formFields(req: {
  parseBody(): Promise<Record<string, unknown>>;
}): Promise<Record<string, string>> {
  const body = await req.parseBody().catch(() => ({}));
  const out: Record<string, string> = {};
  // NUL is never wanted in text, and PostgreSQL refuses to store it
  for (const [key, value] of Object.entries(body))
    if (typeof value === 'string') out[key] = value.replaceAll('\0', '');
  return out;
}

/** As formFields, keeping repeated fields (checkbox groups) as lists: strings only, without NUL characters. */
export async function formLists(req: {
  parseBody(options: { all: true }): Promise<Record<string, unknown>>;
}): Promise<Record<string, string | string[]>> {
  const body = await req.parseBody({ all: true }).catch(() => ({}));
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string') out[key] = value.replaceAll('\0', '');
    else if (Array.isArray(value))
      out[key] = value.filter((v): v is string => typeof v === 'string').map((v) => v.replaceAll('\0', ''));
  }
  return out;
}
