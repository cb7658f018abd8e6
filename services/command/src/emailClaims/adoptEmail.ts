import type { SendOutcome } from '../bus/commandBus';
import type { SendCommand } from './claimEmail';
import type { EmailStreamOf } from './emailStreamIds';
import { settleEmailClaim } from './settleEmailClaim';

export interface Adoption {
  readonly userId: string;
  /** The address the user is believed to hold (read from the read model): the user's stream has the last word. */
  readonly email: string;
}

export interface AdoptionOptions {
  readonly emailStreamOf: EmailStreamOf;
  readonly waitMs: number;
  readonly now: number;
  readonly actor: string;
  readonly headers: Record<string, string>;
}

/**
 * Reserves the address of a user registered before addresses had reservation streams (`eventfold emails
 * backfill`, decision 0016): a claim on the address's stream, then its settlement on the user's stream, which the
 * user's partition owner decides from the user as it is then. If the user still holds the address, the
 * reservation is confirmed at the user's version; if the user has moved on (an address change since the caller
 * read it), the claim expires. So an adoption never leaves an address held by a user who does not have it.
 *
 * The claim and command ids follow from the user and the address: a second run is answered from the partition
 * owners' idempotency windows and writes nothing. Answers the reservation's outcome when it was refused (the
 * address is another user's: EMAIL_TAKEN) or not decided in time, else the settlement's.
 */
export async function adoptEmail(
  send: SendCommand,
  adoption: Adoption,
  o: AdoptionOptions,
): Promise<SendOutcome> {
  const emailStreamId = o.emailStreamOf(adoption.email);
  const { userId } = adoption;
  const claimId = `adopt/${userId}/${emailStreamId}`;
  const reserved = await send(
    {
      streamId: emailStreamId,
      expectedVersion: null,
      command: {
        type: 'ReserveEmail',
        data: { userId, claimId },
        metadata: {
          commandId: `${claimId}/reserve`,
          now: o.now,
          actor: o.actor,
          correlationId: claimId,
          causationId: claimId,
        },
      },
      requestFingerprint: null,
    },
    o.waitMs,
    o.headers,
  );
  if (reserved.status === 'accepted' || reserved.result.outcome === 'rejected') return reserved;
  return send(settleEmailClaim({ claimId, emailStreamId, userId }, o.now, o.actor), o.waitMs, o.headers);
}
