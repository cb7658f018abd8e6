import { commandKey, commandsOfChange, UnmappableChange } from './commandsOfChange';
import type { LegacyUserRow } from './legacyChange';

const at = { commitLsn: '0/16B3748', seq: 2 };
const row = (over: Partial<LegacyUserRow> = {}): LegacyUserRow => ({
  id: '42',
  name: 'Ada',
  email: 'ada@example.com',
  status: 'active',
  updatedAt: 1_800_000_000_000,
  ...over,
});
const types = (commands: { command: { type: string } }[]) => commands.map((c) => c.command.type);

describe('commandsOfChange', () => {
  it('imports a new row, one born deactivated too (the import deactivates it)', () => {
    expect(types(commandsOfChange({ kind: 'insert', row: row() }, at, 'legacy'))).toEqual(['ImportUser']);
    expect(
      types(commandsOfChange({ kind: 'insert', row: row({ status: 'deactivated' }) }, at, 'legacy')),
    ).toEqual(['ImportUser']);
  });

  it('maps an update to one command per field that changed', () => {
    const renamed = commandsOfChange(
      { kind: 'update', old: row(), row: row({ name: 'Ada L.' }) },
      at,
      'legacy',
    );
    expect(renamed.map((c) => c.command)).toEqual([
      { type: 'ChangeUserName', legacyId: '42', name: 'Ada L.' },
    ]);
    const moved = commandsOfChange(
      { kind: 'update', old: row(), row: row({ email: 'a@b.example' }) },
      at,
      'legacy',
    );
    expect(moved.map((c) => c.command)).toEqual([
      { type: 'ChangeUserEmail', legacyId: '42', email: 'a@b.example' },
    ]);
    expect(
      types(
        commandsOfChange({ kind: 'update', old: row(), row: row({ status: 'deactivated' }) }, at, 'legacy'),
      ),
    ).toEqual(['DeactivateUser']);
    expect(
      types(
        commandsOfChange({ kind: 'update', old: row({ status: 'deactivated' }), row: row() }, at, 'legacy'),
      ),
    ).toEqual(['ReactivateUser']);
  });

  it('orders a reactivation before, and a deactivation after, the field changes of the same update', () => {
    const back = row({ name: 'B', email: 'b@example.com' });
    expect(
      types(
        commandsOfChange({ kind: 'update', old: row({ status: 'deactivated' }), row: back }, at, 'legacy'),
      ),
    ).toEqual(['ReactivateUser', 'ChangeUserName', 'ChangeUserEmail']);
    const gone = row({ name: 'B', status: 'deactivated' });
    expect(types(commandsOfChange({ kind: 'update', old: row(), row: gone }, at, 'legacy'))).toEqual([
      'ChangeUserName',
      'DeactivateUser',
    ]);
  });

  it('maps an update that changes no followed column (updated_at alone) to nothing', () => {
    expect(commandsOfChange({ kind: 'update', old: row(), row: row() }, at, 'legacy')).toEqual([]);
  });

  it('keys each command by source, commit LSN, place, row and type: the same change read again, the same keys', () => {
    const change = { kind: 'update' as const, old: row(), row: row({ name: 'X', email: 'x@example.com' }) };
    const keys = commandsOfChange(change, at, 'legacy').map((c) => c.key);
    expect(keys).toEqual([
      'mig:legacy:0-16B3748:2:42:ChangeUserName',
      'mig:legacy:0-16B3748:2:42:ChangeUserEmail',
    ]);
    expect(commandsOfChange(change, at, 'legacy').map((c) => c.key)).toEqual(keys);
    expect(commandsOfChange(change, { ...at, seq: 3 }, 'legacy').map((c) => c.key)).not.toEqual(keys);
    expect(commandKey('legacy', at, '42', 'ImportUser')).toMatch(/^[A-Za-z0-9_:-][A-Za-z0-9._:-]{0,127}$/);
  });

  it('refuses a hard delete and an update without its old row, for the dead-letter list', () => {
    expect(() => commandsOfChange({ kind: 'delete', old: row() }, at, 'legacy')).toThrow(UnmappableChange);
    expect(() => commandsOfChange({ kind: 'update', old: null, row: row() }, at, 'legacy')).toThrow(
      expect.objectContaining({ code: 'NO_OLD_ROW' }),
    );
  });
});
