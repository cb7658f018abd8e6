import type { LedgerError } from '../ledger/ledgerEntry';

/** What nodemailer's errors carry: a code (ECONNECTION, ETIMEDOUT, EENVELOPE, EMESSAGE…) and the reply, if any. */
interface NodemailerErrorShape {
  readonly code?: string;
  readonly responseCode?: number;
  readonly message?: string;
}

const ADDRESS = /[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g;

/** Server replies often quote the recipient ("550 <ada@example.com>: no such user"): never keep an address. */
export function withoutAddresses(text: string): string {
  return text.replace(ADDRESS, '[address]');
}

/** A failure as the ledger, the dead-letter topic and the logs may keep it: code, reply code, no personal data. */
export function ledgerErrorOf(error: unknown): LedgerError {
  const e = (error ?? {}) as NodemailerErrorShape;
  const original = (error as { originalCode?: string } | null)?.originalCode;
  return {
    code: e.code ?? 'SMTP_ERROR',
    message: withoutAddresses(`${original ? `${original}: ` : ''}${String(e.message ?? error)}`).slice(
      0,
      500,
    ),
    responseCode: typeof e.responseCode === 'number' ? e.responseCode : null,
  };
}

/**
 * Whether sending the same message again cannot help: a 5xx reply (the relay refused this message for good).
 * An authentication failure (EAUTH) is a misconfiguration of ours that a fixed deployment cures, not a property of
 * the message: it is retried rather than dead-lettered. Timeouts and connection failures carry no reply code.
 */
export function isPermanentSmtpFailure(error: LedgerError): boolean {
  return error.responseCode !== null && error.responseCode >= 500 && error.code !== 'EAUTH';
}
