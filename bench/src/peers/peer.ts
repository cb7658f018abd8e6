import type { PeerProcess } from './peerProcess';

/** A database of the peer's own on the benchmark's PostgreSQL, reached as its superuser over TCP (trust). */
export interface PeerDatabase {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly name: string;
  /** The same as a connection string. */
  readonly url: string;
}

/** What a peer needs before its first start (a venv goes into the shared cache), and where to say it. */
export interface PeerInstallContext {
  readonly cacheDir: string;
  say(line: string): void;
}

/** A system a user would pick instead of eventfold, served over HTTP with the same two operations. */
export interface Peer {
  /** Short name, used in detail keys and log files. */
  readonly name: string;
  /** As printed in tables. */
  readonly title: string;
  /** How it is run (versions, server, processes, pools): the results' details and the README carry it. */
  readonly settings: string;
  /** Installs what it needs once; a no-op when the cache holds it already. */
  install(context: PeerInstallContext): Promise<void>;
  /** Creates its schema in `database` and starts its HTTP server, ready to serve. */
  start(database: PeerDatabase): Promise<PeerProcess>;
  /**
   * Set when it keeps its data elsewhere than the benchmark's PostgreSQL (eventfold: Kafka): then PostgreSQL's
   * durability settings do not apply, and it is measured once, under the first.
   */
  readonly storage?: string;
}
