import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import { ValidationError } from '@eventfold/core';
import { validateParameter, validateSchema } from '@eventfold/users-api';
import {
  assertUserId,
  normaliseEmail,
  normaliseLocale,
  normaliseName,
  normaliseReason,
  requireReason,
  userStreamId,
  type UserCommand,
} from '@eventfold/users-domain';
import type { IncomingCommand } from '../processing/streamCommands';
import { requestFingerprint, type ClientIds } from './clientIds';

export type CommandRoute =
  | 'registerUser'
  | 'changeUserName'
  | 'correctUserName'
  | 'changeUserEmail'
  | 'deactivateUser'
  | 'reactivateUser'
  | 'forgetUser';

type Data<T extends UserCommand['type']> = Extract<UserCommand, { type: T }>['data'];

function body<T>(req: Request, schema: Parameters<typeof validateSchema>[0], optional = false): T {
  const raw = (req.body ?? undefined) as unknown;
  if (raw === undefined && optional) return {} as T;
  return validateSchema<T>(schema, raw ?? null);
}

/**
 * Turns a write request into a command, checking at the edge everything that can be checked without the stream's
 * state (form, ids, headers, and the domain's own value rules), so that a bad request writes nothing at all.
 */
export function commandFromRequest(
  route: CommandRoute,
  req: Request,
  context: { actor: string; requestId: string; now: number; ids: ClientIds },
) {
  const idempotencyKey = validateParameter('IdempotencyKey', req.header('idempotency-key'));
  const ifMatch = validateParameter('IfMatch', req.header('if-match'));
  const expectedVersion = ifMatch === undefined || ifMatch === '*' ? null : Number(ifMatch.slice(1, -1));
  // The caller knows the command by its key (or by the id issued here); the command path, by a keyed hash of both.
  const publicId = idempotencyKey ?? randomUUID();
  const commandId = context.ids.commandId(context.actor, publicId);
  const metadata = {
    commandId,
    now: context.now,
    actor: context.actor,
    correlationId: context.requestId,
    causationId: context.requestId,
  };
  const userIdParam = () => {
    const id = validateParameter('UserId', req.params.id as string | undefined);
    if (id === undefined) throw new ValidationError('INVALID_PATH', 'path id is required');
    return id;
  };

  let userId: string;
  let command: UserCommand;
  switch (route) {
    case 'registerUser': {
      const b = body<{ name: string; email: string; locale?: string | null }>(req, 'RegisterUserRequest');
      userId = idempotencyKey ? context.ids.userId(context.actor, idempotencyKey) : randomUUID();
      const data: Data<'RegisterUser'> = {
        userId: assertUserId(userId),
        name: normaliseName(b.name),
        email: normaliseEmail(b.email),
        locale: normaliseLocale(b.locale ?? null),
      };
      command = { type: 'RegisterUser', data, metadata };
      break;
    }
    case 'changeUserName': {
      userId = userIdParam();
      const b = body<{ name: string; reason?: string | null }>(req, 'ChangeUserNameRequest');
      command = {
        type: 'ChangeUserName',
        data: { name: normaliseName(b.name), reason: normaliseReason(b.reason ?? null) },
        metadata,
      };
      break;
    }
    case 'correctUserName': {
      userId = userIdParam();
      const b = body<{ name: string; reason: string }>(req, 'CorrectUserNameRequest');
      command = {
        type: 'CorrectUserName',
        data: { name: normaliseName(b.name), reason: requireReason(b.reason) },
        metadata,
      };
      break;
    }
    case 'changeUserEmail': {
      userId = userIdParam();
      const b = body<{ email: string }>(req, 'ChangeUserEmailRequest');
      command = { type: 'ChangeUserEmail', data: { email: normaliseEmail(b.email) }, metadata };
      break;
    }
    case 'deactivateUser': {
      userId = userIdParam();
      const b = body<{ reason?: string | null }>(req, 'DeactivateUserRequest', true);
      command = { type: 'DeactivateUser', data: { reason: normaliseReason(b.reason ?? null) }, metadata };
      break;
    }
    case 'reactivateUser': {
      userId = userIdParam();
      if (req.body !== undefined && Object.keys(req.body as object).length > 0) {
        throw new ValidationError('UNKNOWN_FIELD', 'Reactivation takes no body');
      }
      command = { type: 'ReactivateUser', data: {}, metadata };
      break;
    }
    case 'forgetUser': {
      userId = userIdParam();
      const b = body<{ reason?: string | null }>(req, 'ForgetUserRequest', true);
      command = { type: 'ForgetUser', data: { reason: normaliseReason(b.reason ?? null) }, metadata };
      break;
    }
  }
  const streamId = userStreamId(userId);
  const incoming: Omit<IncomingCommand, 'homePartition'> = {
    streamId,
    expectedVersion,
    command,
    // Only a key can come back: a command without one needs no fingerprint.
    requestFingerprint:
      idempotencyKey === undefined
        ? null
        : requestFingerprint({ route, streamId, expectedVersion, data: command.data }),
  };
  return { userId, publicId, incoming, async: /\brespond-async\b/i.test(req.header('prefer') ?? '') };
}
