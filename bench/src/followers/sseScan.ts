/** What a follower took from the text it has received so far. */
export interface FrameScan {
  /** One entry per event (a frame with a `data:` line), in order: the name its data sets, if any. */
  readonly names: readonly (string | null)[];
  /** The id of the last complete frame that has one: where a reconnecting follower resumes (`Last-Event-ID`). */
  readonly lastId: string | null;
  /** The text after the last complete frame: the start of the next one. */
  readonly rest: string;
}

/** `name` of a UserRegistered, `newName` of a UserNameChanged (packages/users-domain/src/events.ts). */
const NAME = /"(?:name|newName)":"((?:[^"\\]|\\.)*)"/;

/**
 * Splits server-sent events text (frames end with a blank line, services/query/src/feed/sseFrames.ts) into the
 * events it holds and the last id, without parsing their JSON: a follower of 200 takes thousands of events a second in the one
 * bench process, and only needs each event's `name` to match it with the write that set it. Comments
 * (`: heartbeat`) and `retry:` frames are no events.
 */
export function scanFrames(pending: string): FrameScan {
  const blocks = pending.split('\n\n');
  const rest = blocks.pop() ?? '';
  const names: (string | null)[] = [];
  let lastId: string | null = null;
  for (const block of blocks) {
    const lines = block.split('\n');
    const id = lines.find((line) => line.startsWith('id: '));
    if (id !== undefined) lastId = id.slice(4);
    const data = lines.find((line) => line.startsWith('data: '));
    if (data === undefined) continue;
    const match = NAME.exec(data);
    names.push(match ? (JSON.parse(`"${match[1]}"`) as string) : null);
  }
  return { names, lastId, rest };
}
