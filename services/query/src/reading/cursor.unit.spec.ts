import { decodeEventsCursor, decodeSearchCursor, encodeEventsCursor, encodeSearchCursor } from './cursor';

const streamId = 'user-0f8fad5b-d9cb-469f-a165-70867728950e';

describe('cursors', () => {
  it('round-trip the place they name', () => {
    for (const nameKey of ['ada lovelace', '', 'zoë 名前 😀', 'x'.repeat(400)])
      expect(decodeSearchCursor(encodeSearchCursor(nameKey, streamId))).toEqual([nameKey, streamId]);
    expect(decodeEventsCursor(encodeEventsCursor(42))).toBe(42);
    expect(decodeSearchCursor(undefined)).toBeNull();
    expect(decodeEventsCursor(undefined)).toBeNull();
  });

  it('read any cursor of the documented shape as some place, not only issued ones', () => {
    expect(decodeSearchCursor('0.0f8fad5b-d9cb-469f-a165-70867728950e')).toEqual([
      expect.any(String),
      streamId,
    ]);
    expect(decodeSearchCursor('_-_-_.0f8fad5b-d9cb-469f-a165-70867728950e')?.[1]).toBe(streamId);
    expect(decodeEventsCursor('0')).toBe(0);
  });
});
