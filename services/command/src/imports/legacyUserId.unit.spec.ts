import { legacyUserId, uuidV5 } from './legacyUserId';

describe('the user id of a legacy row', () => {
  it('is RFC 9562 UUIDv5 (the RFC’s example: www.example.com in the DNS namespace)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('is the same for the same row, and differs between rows and between tables', () => {
    expect(legacyUserId('users', '42')).toBe(legacyUserId('users', '42'));
    expect(legacyUserId('users', '42')).not.toBe(legacyUserId('users', '43'));
    expect(legacyUserId('users', '42')).not.toBe(legacyUserId('customers', '42'));
    expect(legacyUserId('users', '42')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
