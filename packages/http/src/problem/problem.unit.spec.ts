import { ErrorKind, EventfoldError, InfrastructureError, ValidationError } from '@eventfold/core';
import { problemOf } from './problem';

class KeyStoreFault extends EventfoldError {
  readonly kind = ErrorKind.Internal;
}

describe('problemOf', () => {
  it('answers typed errors by their kind, with their code and message', () => {
    expect(problemOf(new ValidationError('INVALID_NAME', 'Name must not be empty'))).toMatchObject({
      status: 400,
      code: 'INVALID_NAME',
      detail: 'Name must not be empty',
    });
    expect(problemOf(new InfrastructureError('COMMAND_LOG_UNAVAILABLE', 'Kafka is away'))).toMatchObject({
      status: 503,
    });
  });

  it("answers the server's own faults (a master key that does not open the key store) as a 500 that names nothing", () => {
    const fault = new KeyStoreFault(
      'MASTER_KEY_WRONG',
      'KEY_ENCRYPTION_KEY does not open the data key k1 in the key store (MongoDB database eventfold_keys)',
    );
    const answer = problemOf(fault);
    expect(answer).toMatchObject({ status: 500, code: 'INTERNAL_ERROR' });
    expect(JSON.stringify(answer)).not.toContain('eventfold_keys');
    expect(JSON.stringify(answer)).not.toContain('MASTER_KEY');
  });

  it('answers anything else as the same 500', () => {
    expect(problemOf(new Error('/var/lib/eventfold/data.sqlite: disk I/O error'))).toMatchObject({
      status: 500,
      detail: 'An unexpected error occurred; it has been logged',
    });
  });
});
