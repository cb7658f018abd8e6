import { EventSplitters } from './eventSplitter';

const metadataFields = ['eventId', 'version'];
const keysOf = (value: object) => Object.keys(value);

describe('splitting records of one event type by the shape of its first record', () => {
  it('builds the event as the general path does, data and metadata in key order', () => {
    const splitters = new EventSplitters(metadataFields);
    const value = { eventId: 'e-1', version: 2, userId: 'u-1', reason: 'left' };
    const split = splitters.of('UserDeactivated', keysOf(value));
    expect(split?.('UserDeactivated', value)).toStrictEqual({
      type: 'UserDeactivated',
      data: { userId: 'u-1', reason: 'left' },
      metadata: { eventId: 'e-1', version: 2 },
    });
  });

  it('refuses a later record of the same type with other data keys, or the same keys in another order', () => {
    const splitters = new EventSplitters(metadataFields);
    expect(splitters.of('T', ['eventId', 'version', 'a', 'b'])).not.toBeNull();
    expect(splitters.of('T', ['eventId', 'version', 'a'])).toBeNull();
    expect(splitters.of('T', ['eventId', 'version', 'b', 'a'])).toBeNull();
    expect(splitters.of('T', ['eventId', 'version', 'a', 'b', 'c'])).toBeNull();
    expect(splitters.of('T', ['eventId', 'version', 'a', 'b'])).not.toBeNull();
  });

  it('never writes a key that is not an Avro name into a function', () => {
    const splitters = new EventSplitters(metadataFields);
    expect(splitters.of('T', ['eventId', 'version', 'a-b'])).toBeNull();
    expect(splitters.of('U', ['eventId', 'version', '__proto__'])).toBeNull();
    expect(splitters.of('V', ['eventId', 'version', 'x; process.exit()'])).toBeNull();
  });
});
