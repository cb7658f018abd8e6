import { CliError, type Output } from './output';
import { streamIdOf } from './streamsShow';

export interface ForgetOptions {
  /** The command service's base URL (`COMMAND_URL`). */
  readonly commandUrl: string;
  readonly reason: string | null;
  /** Sent as the Idempotency-Key: a retried `forget` is the same command. */
  readonly idempotencyKey?: string;
}

/**
 * Forgets a user through the command service (`DELETE /v1/users/{id}/personal-data`), rather than by writing a
 * ForgetUser command onto users.commands: the command service is where the partition owner decides, answers 404
 * for an unknown user, and deletes the data key once UserForgotten has committed, so the CLI needs neither Kafka
 * nor the master key. Prints the version the stream is at; forgetting twice prints the same.
 */
export async function forget(id: string, options: ForgetOptions, out: Output): Promise<void> {
  const userId = streamIdOf(id).slice('user-'.length);
  const url = `${options.commandUrl.replace(/\/+$/, '')}/v1/users/${userId}/personal-data`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'DELETE',
      headers: {
        'content-type': 'application/json',
        ...(options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}),
      },
      body: JSON.stringify({ reason: options.reason }),
    });
  } catch (error) {
    throw new CliError(
      `forget: the command service at ${options.commandUrl} does not answer (${(error as Error).message}); set COMMAND_URL`,
    );
  }
  const text = await response.text();
  const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (response.status === 404) throw new CliError(`forget: no user ${userId}`, 2);
  if (!response.ok) {
    const reason = [body.detail, body.title].find((v) => typeof v === 'string') ?? text;
    throw new CliError(`forget: the command service answered ${response.status}: ${reason}`);
  }
  out.line(`forgot user ${userId}: its personal data is erased (stream version ${String(body.version)})`);
}
