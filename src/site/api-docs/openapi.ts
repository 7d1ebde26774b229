import { z } from 'zod';
import type { Operation } from './operations.ts';

/**
 * The OpenAPI 3.1 document, generated from the operations' zod schemas with zod's own JSON Schema output
 * (`z.toJSONSchema`, draft 2020-12, which OpenAPI 3.1 uses). Requests are described as the routes accept them
 * (`io: 'input'`), answers as they are sent. Pure.
 */
export function openApiDocument(
  operations: Operation[],
  info: { title: string; version: string; baseUrl: string },
) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const parameters: unknown[] = [];
    for (const p of op.pathParams ?? []) {
      parameters.push({
        name: p.name,
        in: 'path',
        required: true,
        description: p.description,
        schema: { type: 'string' },
      });
    }
    if (op.query) {
      const schema = jsonSchema(op.query, 'input') as {
        properties?: Record<string, unknown>;
        required?: string[];
      };
      for (const [name, prop] of Object.entries(schema.properties ?? {})) {
        parameters.push({
          name,
          in: 'query',
          required: schema.required?.includes(name) ?? false,
          schema: prop,
          ...((prop as { description?: string }).description
            ? { description: (prop as { description: string }).description }
            : {}),
        });
      }
    }
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(op.responses)) {
      responses[status] = {
        description: r.description,
        ...(r.schema
          ? { content: { 'application/json': { schema: jsonSchema(r.schema, 'output') } } }
          : r.contentType
            ? { content: { [r.contentType]: {} } }
            : {}),
      };
    }
    paths[op.path] ??= {};
    paths[op.path]![op.method] = {
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      tags: [op.tag],
      operationId: operationId(op),
      ...(parameters.length ? { parameters } : {}),
      ...(op.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(op.body, 'input') } },
            },
          }
        : {}),
      ...(op.auth ? { security: [{ apiToken: [] }, { session: [] }] } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: `${info.title} API`,
      version: info.version,
      description:
        'The Hugging Face Papers API (field for field), plus what it lacks: writes with a personal token, feeds and citations.',
    },
    servers: [{ url: info.baseUrl }],
    tags: [{ name: 'Papers' }, { name: 'Members' }, { name: 'Feeds and citations' }],
    components: {
      securitySchemes: {
        apiToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'a personal API token (Settings → API tokens)',
        },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'pb_session',
          description: 'the browser session (needs X-CSRF-Token)',
        },
      },
    },
    paths,
  };
}

/** A zod schema as JSON Schema; what JSON Schema cannot say (refinements, transforms) is left out, not guessed. */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >;
  delete out.$schema;
  return out;
}

function operationId(op: Operation): string {
  const words = op.path
    .replace(/[{}]/g, '')
    .split(/[/._-]+/)
    .filter((w) => w && w !== 'api');
  return [op.method, ...words].map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join('');
}
