import { DeciderSpecification, IllegalStateError, NotFoundError } from '@event-driven-io/emmett';
import { decider } from './decider';
import type { UserRegistered } from './user';

// Emmett's own given/when/then: `then` and `thenThrows` throw an AssertionError when the decision differs.
const given = DeciderSpecification.for(decider);

const userId = '6b0f1d6e-3a51-4d0e-9d43-1f3c2f7a9b10';
const now = new Date('2026-12-01T15:00:00Z');
const registered: UserRegistered = {
  type: 'UserRegistered',
  data: {
    userId,
    name: 'Ada Byron',
    email: 'ada@example.com',
    registeredAt: new Date('2026-11-30T09:00:00Z'),
  },
};

describe('Emmett users decider', () => {
  it('registers a user that does not exist yet', () => {
    given([])
      .when({
        type: 'RegisterUser',
        data: { userId, name: 'Ada Byron', email: 'ada@example.com' },
        metadata: { now },
      })
      .then([
        {
          type: 'UserRegistered',
          data: { userId, name: 'Ada Byron', email: 'ada@example.com', registeredAt: now },
        },
      ]);
  });

  it('refuses to register a user twice', () => {
    given([registered])
      .when({
        type: 'RegisterUser',
        data: { userId, name: 'Ada Byron', email: 'ada@example.com' },
        metadata: { now },
      })
      .thenThrows((error: Error) => error instanceof IllegalStateError);
  });

  it('renames a registered user', () => {
    given([registered])
      .when({ type: 'ChangeUserName', data: { userId, name: 'Ada King' }, metadata: { now } })
      .then([{ type: 'UserNameChanged', data: { userId, name: 'Ada King', changedAt: now } }]);
  });

  it('answers not found for a rename of a user that was never registered', () => {
    given([])
      .when({ type: 'ChangeUserName', data: { userId, name: 'Ada King' }, metadata: { now } })
      .thenThrows((error: Error) => error instanceof NotFoundError);
  });

  it('folds a rename into the state the next decision sees', () => {
    const renamed = decider.evolve(decider.evolve(decider.initialState(), registered), {
      type: 'UserNameChanged',
      data: { userId, name: 'Ada King', changedAt: now },
    });
    expect(renamed).toEqual({ status: 'Registered', name: 'Ada King', email: 'ada@example.com' });
  });
});
