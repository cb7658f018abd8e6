import { ValidationError } from '@eventfold/core';
import { UserErrorCode } from '../errorCodes';

// RFC 5321/5322 "dot-atom" local part and a hostname of at least two labels; quoted local parts and address literals
// are valid in theory and refused here, as most mail systems do.
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/**
 * An email address as it is kept: trimmed, with its domain lower-cased (the local part is case-sensitive in
 * principle and stays as given). Throws a ValidationError when it is not a syntactically valid address.
 */
export function normaliseEmail(raw: string): string {
  const email = raw.trim();
  const invalid = (why: string) =>
    new ValidationError(UserErrorCode.InvalidEmail, `Email address is invalid: ${why}`);
  if (email.length > 254) throw invalid('longer than 254 characters');
  const at = email.lastIndexOf('@');
  if (at <= 0) throw invalid('it needs a local part, an @ and a domain');
  const local = email.slice(0, at);
  const domain = email.slice(at + 1).toLowerCase();
  if (local.length > 64) throw invalid('the part before @ is longer than 64 characters');
  if (!LOCAL.test(local)) throw invalid('the part before @ has characters or dots that are not allowed');
  const labels = domain.split('.');
  if (
    labels.length < 2 ||
    !labels.every((label) => LABEL.test(label)) ||
    !/^[a-z]{2,}$/.test(labels.at(-1)!)
  ) {
    throw invalid('the domain is not a valid host name');
  }
  return `${local}@${domain}`;
}
