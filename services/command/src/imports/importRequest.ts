import { ValidationError } from '@eventfold/core';
import { normaliseEmail, normaliseName, userStreamId, type ImportUser } from '@eventfold/users-domain';
import { requestFingerprint, type ClientIds } from '../http/clientIds';
import type { IncomingCommand } from '../processing/streamCommands';
import { legacyUserId } from './legacyUserId';

/** The body of `POST /v1/user-imports`: one legacy row, as `eventfold migrate import` reads it. */
export interface ImportRequestBody {
  readonly name: string | null;
  readonly email: string | null;
  readonly deactivated: boolean;
  readonly source: { readonly table: string; readonly legacyId: string; readonly updatedAt: number | null };
}

const isText = (v: unknown): v is string => typeof v === 'string';
const TABLE = /^[A-Za-z_][A-Za-z0-9_$.]{0,126}$/;

function bodyOf(raw: unknown): ImportRequestBody {
  const b = (raw ?? {}) as Record<string, unknown>;
  const s = (b.source ?? {}) as Record<string, unknown>;
  if (
    !(b.name === null || isText(b.name)) ||
    !(b.email === null || isText(b.email)) ||
    typeof b.deactivated !== 'boolean' ||
    !isText(s.table) ||
    !TABLE.test(s.table) ||
    !isText(s.legacyId) ||
    s.legacyId.length === 0 ||
    s.legacyId.length > 100 ||
    !(s.updatedAt === null || (typeof s.updatedAt === 'number' && Number.isSafeInteger(s.updatedAt)))
  )
    throw new ValidationError(
      'INVALID_BODY',
      'The body must be {"name", "email", "deactivated": boolean, "source": {"table", "legacyId", "updatedAt": epoch ms or null}}',
    );
  return b as unknown as ImportRequestBody;
}

/**
 * A legacy row as an ImportUser command on the stream its legacy id names (legacyUserId.ts). The command id follows
 * from the row and its `updated_at`, so a second run, or a run resumed after a crash, sends the same command again
 * and is answered from the idempotency window without writing; a row changed since is decided again (and found
 * already present). Name and address are checked here as a registration's are, so a refused row reserves nothing.
 */
export function importFromRequest(
  raw: unknown,
  context: { actor: string; requestId: string; now: number; ids: ClientIds },
): { incoming: Omit<IncomingCommand, 'homePartition'>; userId: string; publicId: string } {
  const body = bodyOf(raw);
  const userId = legacyUserId(body.source.table, body.source.legacyId);
  const publicId = `import:${userId}:${body.source.updatedAt ?? 'none'}`;
  const data: ImportUser['data'] = {
    userId,
    name: normaliseName(body.name ?? ''),
    email: normaliseEmail(body.email ?? ''),
    deactivated: body.deactivated,
    source: body.source,
  };
  const streamId = userStreamId(userId);
  return {
    userId,
    publicId,
    incoming: {
      streamId,
      expectedVersion: null,
      command: {
        type: 'ImportUser',
        data,
        metadata: {
          commandId: context.ids.commandId(context.actor, publicId),
          now: context.now,
          actor: context.actor,
          correlationId: context.requestId,
          causationId: context.requestId,
        },
      },
      requestFingerprint: requestFingerprint({ route: 'importUser', streamId, expectedVersion: null, data }),
    },
  };
}
