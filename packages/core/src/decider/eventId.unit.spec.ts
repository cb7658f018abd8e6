import { eventIdFor } from './eventId';

describe('eventIdFor', () => {
  it('is a UUIDv8, the same for the same position and different for any other', () => {
    const id = eventIdFor('user-1', 1);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(eventIdFor('user-1', 1)).toBe(id);
    expect(
      new Set([id, eventIdFor('user-1', 2), eventIdFor('user-2', 1), eventIdFor('user-11', 1)]).size,
    ).toBe(4);
  });
});
