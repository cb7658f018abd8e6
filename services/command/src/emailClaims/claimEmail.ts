import {
  userIdOfStream,
  type ChangeUserEmail,
  type ImportUser,
  type RegisterUser,
} from '@eventfold/users-domain';
import type { SendOutcome } from '../bus/commandBus';
import type { CommandResult } from '../processing/commandResult';
import type { IncomingCommand } from '../processing/streamCommands';
import type { StreamCommand } from '../processing/streamCommands';
import type { EmailStreamOf } from './emailStreamIds';

type Outgoing = Omit<IncomingCommand, 'homePartition'>;

/** What the claim process needs of the command bus: `CommandBus.send`. */
export type SendCommand = (
  command: Outgoing,
  waitMs: number,
  headers: Record<string, string>,
) => Promise<SendOutcome>;

/** A user command that names an address, and so must claim it first. */
export type ClaimingCommand = Outgoing & { readonly command: RegisterUser | ImportUser | ChangeUserEmail };

export const claimsEmail = (incoming: Outgoing): incoming is ClaimingCommand =>
  incoming.command.type === 'RegisterUser' ||
  incoming.command.type === 'ImportUser' ||
  incoming.command.type === 'ChangeUserEmail';

export interface ClaimOptions {
  readonly emailStreamOf: EmailStreamOf;
  /** How long to wait for each step's result (the user command's: 0 for a request that asked not to wait). */
  readonly reserveWaitMs: number;
  readonly waitMs: number;
  readonly headers: Record<string, string>;
}

/**
 * The claim process of decision 0016: reserve the address on its stream, then send the user command, unchanged.
 * The confirmation and the release of an old address are written with the user event by its partition owner; this
 * only gives the reservation back when the user command was refused. A crash anywhere leaves at most a reservation
 * that the sweeper settles; a retry with the same Idempotency-Key reserves nothing twice (the reservation's
 * command id follows from the user command's, and reserving again for the same user is a no-op).
 */
export async function claimEmail(
  send: SendCommand,
  incoming: ClaimingCommand,
  o: ClaimOptions,
): Promise<SendOutcome> {
  const { command } = incoming;
  const userId =
    command.type === 'ChangeUserEmail' ? (userIdOfStream(incoming.streamId) ?? '') : command.data.userId;
  const emailStreamId = o.emailStreamOf(command.data.email);
  const step = (next: StreamCommand): Outgoing => ({
    streamId: emailStreamId,
    expectedVersion: null,
    command: next,
    requestFingerprint: null,
  });
  const metadata = (suffix: string) => ({
    ...command.metadata,
    commandId: `${command.metadata.commandId}/${suffix}`,
    causationId: command.metadata.commandId,
  });
  const claimId = command.metadata.commandId;
  const reserved = await send(
    step({ type: 'ReserveEmail', data: { userId, claimId }, metadata: metadata('reserve') }),
    o.reserveWaitMs,
    o.headers,
  );
  // Not decided in time: the client's retry (same key) carries on, and the sweeper settles what it left.
  if (reserved.status === 'accepted') return reserved;
  if (reserved.result.outcome === 'rejected')
    return { status: 'completed', result: asUserResult(reserved.result, incoming) };
  const giveBack = () =>
    send(
      step({
        type: 'ExpireEmailReservation',
        data: { claimId },
        metadata: metadata('expire'),
      }),
      0,
      o.headers,
    );
  let outcome: SendOutcome;
  try {
    outcome = await send(incoming, o.waitMs, o.headers);
  } catch (error) {
    // Refused before it was stored (a forgotten user, the log away): nothing will take the address.
    await giveBack().catch(() => undefined);
    throw error;
  }
  if (outcome.status === 'completed' && outcome.result.outcome === 'rejected') await giveBack();
  return outcome;
}

/** A reservation's refusal, answered as the user command's: 409 EMAIL_TAKEN, and nothing about who holds it. */
function asUserResult(result: CommandResult, incoming: ClaimingCommand): CommandResult {
  return {
    ...result,
    commandId: incoming.command.metadata.commandId,
    streamId: incoming.streamId,
    commandType: incoming.command.type,
    version: 0,
    eventCount: 0,
    consistencyToken: null,
  };
}
