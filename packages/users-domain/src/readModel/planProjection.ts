import { InfrastructureError, type ApplyOutcome, type PositionedEvent } from '@eventfold/core';
import type { RecordedUserEvent } from '../events';
import { userViewProjection, type UserView } from '../projections/userView';
import type { UserDocument, UserEventDocument } from './userDocuments';
import { documentOfView, historyDocument, viewOfDocument } from './viewDocuments';

/** An event whose stream is missing earlier versions: applying it would corrupt the read model. */
export class StreamGapError extends InfrastructureError {
  constructor(streamId: string, have: number, got: number) {
    super(
      'STREAM_VERSION_GAP',
      `${streamId} is at version ${have} in the read model; event version ${got} cannot apply`,
      { retriable: false },
    );
  }
}

/** What applying a slice of events writes: history to insert, documents as they end up, and the counts. */
export interface ProjectionPlan {
  readonly history: UserEventDocument[];
  /** The final document of every stream that changed (streams still at status `none` are absent). */
  readonly users: Map<string, UserDocument>;
  readonly applied: number;
  readonly duplicates: number;
  readonly failed: ApplyOutcome['failed'];
}

/**
 * The version guard (docs/decisions/0005-projector-exactly-once-in-effect.md), pure: an event applies only at version v-1 of its document; lower is
 * a duplicate and is skipped; higher is a gap, which stops the plan (nothing after it is planned).
 */
export function planProjection(
  events: readonly PositionedEvent<RecordedUserEvent>[],
  current: ReadonlyMap<string, UserDocument>,
): ProjectionPlan {
  const views = new Map<string, UserView>();
  const history: UserEventDocument[] = [];
  const users = new Map<string, UserDocument>();
  let applied = 0;
  let duplicates = 0;
  let failed: ApplyOutcome['failed'] = null;
  for (const [index, positioned] of events.entries()) {
    const { streamId, version } = positioned.event.metadata;
    const view = views.get(streamId) ?? viewOfDocument(current.get(streamId));
    if (version <= view.version) {
      duplicates++;
      continue;
    }
    if (version !== view.version + 1) {
      failed = { index, error: new StreamGapError(streamId, view.version, version) };
      break;
    }
    const next = userViewProjection.evolve(view, positioned.event);
    views.set(streamId, next);
    history.push(
      historyDocument(positioned.event, positioned.partition, positioned.offset, positioned.recordedAt),
    );
    if (next.status !== 'none')
      users.set(
        streamId,
        documentOfView(streamId, next, { partition: positioned.partition, offset: positioned.offset }),
      );
    applied++;
  }
  return { history, users, applied, duplicates, failed };
}
