import type { Response } from 'express';
import { problem, sendProblem, statusOfKind } from '@eventfold/http';
import { userIdOfStream } from '@eventfold/users-domain';
import type { CommandResult } from '../processing/commandResult';

/** The JSON of a command's status, as GET /v1/commands/{id} and 202 answers carry it. */
export function commandStatusBody(commandId: string, known: CommandResult | 'accepted') {
  if (known === 'accepted') return { commandId, status: 'accepted' as const };
  return {
    commandId,
    status: known.outcome,
    id: userIdOfStream(known.streamId) ?? known.streamId,
    commandType: known.commandType,
    version: known.version,
    consistencyToken: known.consistencyToken,
    completedAt: new Date(known.completedAt).toISOString(),
    ...(known.error
      ? { error: problem(statusOfKind[known.error.kind], known.error.code, known.error.message) }
      : {}),
  };
}

export function sendAccepted(res: Response, commandId: string): void {
  res
    .status(202)
    .setHeader('Location', `/v1/commands/${encodeURIComponent(commandId)}`)
    .json(commandStatusBody(commandId, 'accepted'));
}

/**
 * 201/200 with the new version and consistency token, or the rejection as problem+json. `commandId` is the id the
 * caller knows the command by (its Idempotency-Key, or the one issued), not the command path's own.
 */
export function sendResult(res: Response, result: CommandResult, created: boolean, commandId: string): void {
  if (result.outcome === 'rejected' && result.error) {
    sendProblem(
      res,
      problem(statusOfKind[result.error.kind], result.error.code, result.error.message, { commandId }),
    );
    return;
  }
  const id = userIdOfStream(result.streamId) ?? result.streamId;
  res.setHeader('ETag', `"${result.version}"`);
  if (result.consistencyToken) res.setHeader('X-Consistency-Token', result.consistencyToken);
  if (created) res.setHeader('Location', `/v1/users/${id}`);
  res.status(created ? 201 : 200).json({
    id,
    version: result.version,
    consistencyToken: result.consistencyToken,
    commandId,
  });
}
