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
  });

  it('are retriable unless they say they are not: an error without the flag is presumed a dependency not yet there', () => {
    expect(isRetriable(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(
      true,
    );
    expect(isRetriable(Object.assign(new Error('KafkaJSNonRetriableError'), { retriable: false }))).toBe(
      false,
    );
    expect(isRetriable(Object.assign(new Error('KafkaJSConnectionError'), { retriable: true }))).toBe(true);
    expect(isRetriable(undefined)).toBe(true);
  });
});
