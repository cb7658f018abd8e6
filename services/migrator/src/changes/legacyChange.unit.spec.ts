import { legacyUserRow } from './legacyChange';

describe('legacyUserRow', () => {
  it('reads pgoutput text values into the legacy row, updated_at as epoch ms', () => {
    expect(
      legacyUserRow({
        id: '7',
        name: 'Ada',
        email: null,
        status: 'deactivated',
        updated_at: '2026-12-03 12:27:01.158+00',
        created_at: '2026-12-03 12:27:01.158+00',
      }),
    ).toEqual({
      id: '7',
      name: 'Ada',
      email: null,
      status: 'deactivated',
      updatedAt: Date.parse('2026-12-03T12:27:01.158Z'),
    });
  });

  it('is null for what is not a row (no id)', () => {
    expect(legacyUserRow(null)).toBeNull();
    expect(legacyUserRow({ name: 'x' })).toBeNull();
  });
});
