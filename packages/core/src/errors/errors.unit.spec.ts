import { ConflictError, ErrorKind, InfrastructureError, isRetriable, ValidationError } from './errors';

describe('errors', () => {
  it('carry a kind, a stable code, details and their cause', () => {
    const cause = new Error('socket hang up');
    const error = new ConflictError('USER_ALREADY_REGISTERED', 'User user-1 is already registered', {
      cause,
      details: { streamId: 'user-1' },
    });
    expect(error).toMatchObject({
      kind: ErrorKind.Conflict,
      code: 'USER_ALREADY_REGISTERED',
      name: 'ConflictError',
      details: { streamId: 'user-1' },
      cause,
      retriable: false,
    });
    expect(error).toBeInstanceOf(Error);
  });

  it('say whether retrying may help', () => {
    expect(isRetriable(new InfrastructureError('BROKER_DOWN', 'Kafka is unreachable'))).toBe(true);
    expect(
      isRetriable(new InfrastructureError('BAD_CONFIG', 'No brokers configured', { retriable: false })),
    ).toBe(false);
    expect(isRetriable(new ValidationError('BAD_NAME', 'Name is empty'))).toBe(false);
    expect(isRetriable(new Error('anything'))).toBe(false);
  });
});
