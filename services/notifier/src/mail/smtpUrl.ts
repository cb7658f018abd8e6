import { ValidationError } from '@eventfold/core';

export interface SmtpEndpoint {
  readonly host: string;
  readonly port: number;
  /** TLS from the first byte (smtps://); smtp:// upgrades with STARTTLS when the server offers it. */
  readonly secure: boolean;
  readonly auth: { readonly user: string; readonly pass: string } | null;
}

/** `smtp://[user:pass@]host[:port]` (default port 587) or `smtps://…` (465). */
export function parseSmtpUrl(value: string): SmtpEndpoint {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ValidationError(
      'INVALID_SMTP_URL',
      'SMTP_URL is not a URL: use smtp://host:port or smtps://host:port',
    );
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:')
    throw new ValidationError(
      'INVALID_SMTP_URL',
      `SMTP_URL must start with smtp:// or smtps://, not ${url.protocol}//`,
    );
  const secure = url.protocol === 'smtps:';
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    auth: url.username
      ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
      : null,
  };
}
