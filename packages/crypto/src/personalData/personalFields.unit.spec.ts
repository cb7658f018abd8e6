import { loadSchemaCatalog, parseAvro } from '@eventfold/avro';
import { CryptoErrorCode } from '../errors';
import { compilePersonalFields, mapPersonalStrings, personalFieldPaths } from './personalFields';

const catalog = loadSchemaCatalog();
const users = (name: string) => `eventfold.users.${name}`;
const pathsOf = (json: unknown) => personalFieldPaths(compilePersonalFields(json, parseAvro(json)));

describe('personal fields found from the "pii" marks of the schemas', () => {
  // Every record of schemas/users, each with exactly the paths its ciphertexts are bound to.
  const expected: Record<string, string[]> = {
    UserCommandEnvelope: [
      'payload[eventfold.users.RegisterUserPayload].name',
      'payload[eventfold.users.RegisterUserPayload].email',
      'payload[eventfold.users.ChangeUserNamePayload].name',
      'payload[eventfold.users.CorrectUserNamePayload].name',
      'payload[eventfold.users.ChangeUserEmailPayload].email',
      'payload[eventfold.users.ImportUserPayload].name',
      'payload[eventfold.users.ImportUserPayload].email',
    ],
    UserCommandResult: [],
    // The reservation streams hold no address at all (decision 0016).
    EmailReleased: [],
    EmailReservationConfirmed: [],
    EmailReserved: [],
    UserDeactivated: [],
    UserEmailChanged: ['oldEmail', 'newEmail'],
    UserForgotten: [],
    UserImported: ['name', 'email'],
    UserNameChanged: ['oldName', 'newName'],
    UserNameCorrected: ['oldName', 'newName'],
    UserReactivated: [],
    UserRegistered: ['name', 'email'],
    UserStreamSnapshot: ['name', 'email'],
  };

  it('covers every record of schemas/users', () => {
    const ofUsers = [...catalog.values()].filter((r) => /[\\/]users[\\/]/.test(r.current.file));
    expect(ofUsers.map((r) => r.fullName).sort()).toEqual(Object.keys(expected).map(users).sort());
  });

  it.each(Object.entries(expected))('%s', (name, paths) => {
    const { versions } = catalog.get(users(name))!;
    for (const version of versions) {
      const found = personalFieldPaths(compilePersonalFields(version.json, version.type));
      // An older version lacks the branches added since (ImportUserPayload), and has no path of its own.
      expect(found).toEqual(version === versions.at(-1) ? paths : paths.slice(0, found.length));
    }
  });

  it('finds personal fields in nested records, arrays, maps and nullable unions', () => {
    const schema = {
      type: 'record',
      name: 'Outer',
      namespace: 'test',
      fields: [
        { name: 'id', type: 'string' },
        {
          name: 'contact',
          type: {
            type: 'record',
            name: 'Contact',
            fields: [
              { name: 'email', type: ['null', 'string'], pii: true, default: null },
              { name: 'kind', type: 'string' },
            ],
          },
        },
        { name: 'previous', type: { type: 'array', items: 'Contact' } },
        { name: 'byLabel', type: { type: 'map', values: 'test.Contact' } },
        { name: 'maybe', type: ['null', 'Contact'], default: null },
        { name: 'untouched', type: { type: 'array', items: 'string' } },
      ],
    };
    expect(pathsOf(schema)).toEqual([
      'contact.email',
      'previous[].email',
      'byLabel{}.email',
      'maybe[test.Contact].email',
    ]);
  });

  it.each([
    ['a long', 'long'],
    ['a record', { type: 'record', name: 'Inner', fields: [{ name: 'x', type: 'string' }] }],
    ['an array of strings', { type: 'array', items: 'string' }],
    ['a union of a string and a number', ['null', 'string', 'long']],
  ])('refuses a "pii" mark on %s: it could not hold a ciphertext without a schema change', (_what, type) => {
    const schema = { type: 'record', name: 'Bad', fields: [{ name: 'secret', type, pii: true }] };
    expect(() => pathsOf(schema)).toThrow(
      expect.objectContaining({
        code: CryptoErrorCode.SchemaUnsupported,
        message: expect.stringContaining('Bad.secret'),
      }),
    );
  });

  it('replaces personal strings where avsc puts them, sharing what holds none', () => {
    const record = catalog.get(users('UserCommandEnvelope'))!.current;
    const plan = compilePersonalFields(record.json, record.type)!;
    const untouched = { keep: true };
    const envelope = {
      streamId: 's',
      untouched,
      payload: { 'eventfold.users.ChangeUserNamePayload': { name: 'Ada', reason: 'typo' } },
    };
    const mapped = mapPersonalStrings(
      plan,
      envelope,
      (s, path) => `${path}=${s.toUpperCase()}`,
    ) as typeof envelope;
    expect(mapped).toEqual({
      ...envelope,
      payload: {
        'eventfold.users.ChangeUserNamePayload': {
          name: 'payload[eventfold.users.ChangeUserNamePayload].name=ADA',
          reason: 'typo',
        },
      },
    });
    expect(mapped.untouched).toBe(untouched);
    expect(envelope.payload['eventfold.users.ChangeUserNamePayload'].name).toBe('Ada');
    const reactivate = { payload: { 'eventfold.users.ReactivateUserPayload': {} } };
    expect(mapPersonalStrings(plan, reactivate, () => 'x')).toBe(reactivate);
  });
});
