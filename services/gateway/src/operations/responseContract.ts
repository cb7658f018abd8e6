import { validateSchema } from '@eventfold/users-api';
import type { GatewayOperation } from './operations';

/** The media type of a Content-Type header, without parameters, lower case. */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0]?.trim().toLowerCase() || undefined;
}

/**
 * Why a response breaks the document, or null when it keeps it: its status must be documented for the operation
 * (exactly, as `4XX`, or `default`), its content type documented for that status, and its body valid against the
 * documented schema. Messages name fields and rules, never values.
 */
export function contractViolation(
  operation: GatewayOperation,
  response: { status: number; contentType: string | undefined; body: unknown },
): string | null {
  const { status, body } = response;
  const documented =
    operation.responses[String(status)] ??
    operation.responses[`${Math.floor(status / 100)}XX`] ??
    operation.responses.default;
  if (!documented) return `status ${status} is not documented for ${operation.id}`;
  const mediaType = mediaTypeOf(response.contentType);
  const types = Object.keys(documented);
  if (types.length === 0) {
    return body === undefined ? null : `${operation.id} ${status} has a body where the document has none`;
  }
  if (mediaType === undefined || !types.includes(mediaType)) {
    return `${operation.id} ${status} has content type ${mediaType ?? '(none)'}, not ${types.join(' or ')}`;
  }
  const schema = documented[mediaType];
  if (!schema) return null;
  try {
    validateSchema(schema, body);
    return null;
  } catch (error) {
    return `${operation.id} ${status} body does not match ${schema}: ${(error as Error).message}`;
  }
}
