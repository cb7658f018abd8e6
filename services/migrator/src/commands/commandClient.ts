import { InfrastructureError, retry, type RetryPolicy } from '@eventfold/core';

/** The command service's answer to one command, once it is final (durable in eventfold, or refused by the domain). */
export type CommandAnswer =
  | { readonly outcome: 'applied'; readonly userId: string }
  | { readonly outcome: 'rejected'; readonly code: string; readonly reason: string };

/** Statuses that are the domain's or the edge's refusal: final, the same on every replay of the same key. */
const REFUSALS = new Set([400, 404, 409, 412, 413, 422]);

export interface CommandClientOptions {
  readonly commandUrl: string;
  /** Who the commands come from (`x-eventfold-actor`): the command service scopes Idempotency-Keys to it. */
  readonly actor: string;
  readonly internalToken: string | null;
  readonly retryPolicy: RetryPolicy;
  readonly isStopped: () => boolean;
  readonly onRetry?: (error: unknown, attempt: number) => void;
}

/**
 * Sends commands to the command service with an Idempotency-Key and waits for the final answer: a 2xx (the events
 * are in the log) or a refusal. A 202 (not decided within the wait), a 5xx or a lost connection is sent again with
 * the same key until it is final, so a command is never counted done before it is durable, nor written twice.
 */
export class CommandClient {
  constructor(private readonly options: CommandClientOptions) {}

  send(method: 'POST' | 'PUT' | 'DELETE', path: string, key: string, body: unknown): Promise<CommandAnswer> {
    return retry(() => this.once(method, path, key, body), {
      ...this.options.retryPolicy,
      isStopped: this.options.isStopped,
      onRetry: (error, attempt) => this.options.onRetry?.(error, attempt),
    });
  }

  private async once(method: string, path: string, key: string, body: unknown): Promise<CommandAnswer> {
    const headers: Record<string, string> = {
      'idempotency-key': key,
      'x-eventfold-actor': this.options.actor,
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.options.internalToken) headers['x-eventfold-internal-token'] = this.options.internalToken;
    let response: Response;
    try {
      response = await fetch(`${this.options.commandUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      throw new InfrastructureError(
        'COMMAND_SERVICE_UNREACHABLE',
        `The command service did not answer ${path}`,
        {
          cause: error,
        },
      );
    }
    const text = await response.text();
    const json = (text ? JSON.parse(text) : {}) as { id?: string; code?: string; detail?: string };
    if (response.status === 200 || response.status === 201)
      return { outcome: 'applied', userId: json.id ?? '' };
    if (REFUSALS.has(response.status))
      return {
        outcome: 'rejected',
        code: json.code ?? `HTTP_${response.status}`,
        reason: json.detail ?? text,
      };
    throw new InfrastructureError(
      'COMMAND_NOT_FINAL',
      `The command service answered ${response.status} to ${method} ${path}: ${json.code ?? text.slice(0, 200)}`,
    );
  }
}
