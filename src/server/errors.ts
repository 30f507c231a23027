// Every error the API sends has one shape: { "error": { "code", "message" } } with a 4xx (or 500) status.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';

export class ApiError extends Error {
  constructor(readonly status: ContentfulStatusCode, readonly code: string, message: string) {
    super(message);
    this.name = 'ApiError';
  }
}

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`);

export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

export function sendError(c: Context, e: unknown) {
  if (e instanceof ApiError) return c.json(errorBody(e.code, e.message), e.status);
  const message = ((e as Error)?.message ?? String(e)).split('\n')[0];
  return c.json(errorBody('internal', message), 500);
}

/** The first issue of a failed parse as one line that names the field. */
export function zodMessage(error: z.ZodError): string {
  const issue = error.issues[0];
  const keys = (issue as { keys?: string[] }).keys;
  const path = issue.path.join('.');
  const where = path ? `"${path}"` : keys?.length ? `"${keys.join('", "')}"` : '';
  return `${where ? `${where}: ` : ''}${issue.message}`;
}

export function parseOr400<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new ApiError(400, 'bad_request', zodMessage(r.error));
  return r.data;
}
