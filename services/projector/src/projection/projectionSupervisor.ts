import {
  sameLayout,
  type ReadModelControl,
  type ReadModelControlState,
  type ReadModelLayout,
} from '@eventfold/mongo';
import type { Logger } from '@eventfold/observability';

/** One running projection of the event log into one read model version. */
export interface RunningProjection {
  readonly ready: boolean;
  stop(): Promise<void>;
}

/**
 * The versions a projector feeds: the active one (unless a handover freezes it) and the one a rebuild builds.
 */
export function layoutsToFeed(state: ReadModelControlState): ReadModelLayout[] {
  const layouts = state.phase === 'handover' ? [] : [state.active];
  if (state.target) layouts.push(state.target);
  return layouts;
}

/**
 * Keeps one projection running per version the control document asks for, and no other: polls the document,
 * starts what is missing, stops what is no longer wanted. This is how a rebuild runs beside the live version and
 * how every projector instance moves to the new version at the switch, without a restart.
 */
export class ProjectionSupervisor {
  private readonly running = new Map<number, { layout: ReadModelLayout; projection: RunningProjection }>();
  private timer: NodeJS.Timeout | null = null;
  private reconciling: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly control: ReadModelControl,
    private readonly startProjection: (layout: ReadModelLayout) => Promise<RunningProjection>,
    private readonly logger: Logger,
    private readonly pollMs = 1000,
  ) {}

  /** Starts what the control document asks for now, then follows it. */
  async start(): Promise<void> {
    await this.reconcile();
    this.timer = setInterval(() => {
      void this.reconcile().catch((error: unknown) =>
        this.logger.warn({ err: error }, 'could not follow the read model control document; retrying'),
      );
    }, this.pollMs);
    this.timer.unref();
  }

  get ready(): boolean {
    return this.running.size > 0 && [...this.running.values()].every((r) => r.projection.ready);
  }

  get versions(): number[] {
    return [...this.running.keys()].sort((a, b) => a - b);
  }

  /** One reconciliation at a time; a tick that finds one running waits for it instead of racing it. */
  reconcile(): Promise<void> {
    this.reconciling = this.reconciling.catch(() => undefined).then(() => this.reconcileOnce());
    return this.reconciling;
  }

  private async reconcileOnce(): Promise<void> {
    if (this.stopped) return;
    const wanted = layoutsToFeed(await this.control.read());
    for (const [version, { layout, projection }] of this.running) {
      if (wanted.some((w) => sameLayout(w, layout))) continue;
      this.running.delete(version);
      await projection.stop();
      this.logger.info({ version, group: layout.groupId }, 'stopped projecting a read model version');
    }
    for (const layout of wanted) {
      if (this.running.has(layout.version) || this.stopped) continue;
      const projection = await this.startProjection(layout);
      this.running.set(layout.version, { layout, projection });
      this.logger.info(
        { version: layout.version, group: layout.groupId, shards: layout.shards.length },
        'projecting a read model version',
      );
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.reconciling.catch(() => undefined);
    const all = [...this.running.values()];
    this.running.clear();
    await Promise.allSettled(all.map((r) => r.projection.stop()));
  }
}
