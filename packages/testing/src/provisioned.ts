/** Real servers for a test run, and how to give back what this run started. */
export interface Provisioned {
  readonly source: 'environment' | 'testcontainers' | 'local processes';
  readonly env: Readonly<Record<string, string>>;
  release(): Promise<void>;
}
