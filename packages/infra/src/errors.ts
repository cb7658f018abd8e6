/** A local server could not be installed or started. The message names the server and where its log is. */
export class InfraError extends Error {
  readonly code = 'INFRA_SERVER_FAILED';
  constructor(
    readonly server: string,
    message: string,
    readonly logFile: string | null,
    options?: { cause?: unknown },
  ) {
    super(`${server}: ${message}${logFile ? ` (log: ${logFile})` : ''}`, options);
    this.name = 'InfraError';
  }
}
