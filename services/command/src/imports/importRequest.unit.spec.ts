import { ClientIds } from '../http/clientIds';
import { importFromRequest } from './importRequest';
import { legacyUserId } from './legacyUserId';

const context = {
  actor: 'migration',
  requestId: 'req-1',
  now: 1_000,
  ids: new ClientIds(Buffer.alloc(32, 7)),
};
const row = (override: Record<string, unknown> = {}) => ({
  name: ' Ada Lovelace ',
  email: 'Ada@Example.COM',
  deactivated: false,
  source: { table: 'users', legacyId: '42', updatedAt: 1_700_000_000_000 },
  ...override,
});

describe('a legacy row as an ImportUser command', () => {
  it('lands on the stream its legacy id names, normalised as a registration is', () => {
    const { incoming, userId } = importFromRequest(row(), context);
    expect(userId).toBe(legacyUserId('users', '42'));
    expect(incoming.streamId).toBe(`user-${userId}`);
    expect(incoming.command).toMatchObject({
      type: 'ImportUser',
      data: { userId, name: 'Ada Lovelace', email: 'Ada@example.com', deactivated: false },
    });
  });

  it('has the same command id when the same row is sent again, and another once the row changed', () => {
    const id = (r: unknown) => importFromRequest(r, context).incoming.command.metadata.commandId;
    expect(id(row())).toBe(id(row()));
    expect(id(row())).not.toBe(
      id(row({ source: { table: 'users', legacyId: '42', updatedAt: 1_700_000_000_001 } })),
    );
  });

  it.each([
    ['an invalid email', { email: 'not an address' }, 'INVALID_EMAIL'],
    ['no email', { email: null }, 'INVALID_EMAIL'],
    ['a name of 500 characters', { name: 'x'.repeat(500) }, 'INVALID_NAME'],
    ['a name with control characters', { name: 'Ada\u0007' }, 'INVALID_NAME'],
    ['no source', { source: undefined }, 'INVALID_BODY'],
    [
      'a table name that is not one',
      { source: { table: 'users; drop', legacyId: '1', updatedAt: null } },
      'INVALID_BODY',
    ],
  ])('refuses %s before anything is sent', (_what, override, code) => {
    expect(() => importFromRequest(row(override), context)).toThrow(expect.objectContaining({ code }));
  });
});
