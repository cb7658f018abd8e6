import { ValidationError } from '@eventfold/core';
import { validateParameter, validateSchema } from './validation';

describe('validation from the OpenAPI document', () => {
  it('accepts a valid body', () => {
    expect(validateSchema('RegisterUserRequest', { name: 'Ada', email: 'ada@example.com' })).toEqual({
      name: 'Ada',
      email: 'ada@example.com',
    });
  });

  it.each([
    [{ name: 'Ada', email: 'ada@example.com', admin: true }, 'UNKNOWN_FIELD', 'Unknown field "admin"'],
    [{ name: 'Ada' }, 'MISSING_FIELD', 'Missing field "email"'],
    [{ name: 42, email: 'ada@example.com' }, 'INVALID_FIELD', 'name must be string'],
    ['a string', 'INVALID_FIELD', 'body must be object'],
  ])('rejects %j with %s', (body, code, message) => {
    expect(() => validateSchema('RegisterUserRequest', body)).toThrow(
      expect.objectContaining({ code, message }),
    );
    expect(() => validateSchema('RegisterUserRequest', body)).toThrow(ValidationError);
  });

  it.each([
    ['IfMatch', '"3"', true],
    ['IfMatch', '*', true],
    ['IfMatch', '3', false],
    ['IfMatch', '"03"', false],
    ['IfMatch', 'W/"3"', false],
    ['IfMatch', '"999999999999999"', true],
    // Beyond a safe integer: it became another number, which the command's Avro long refused (a 500).
    ['IfMatch', '"9601674353656144"', false],
    ['UserId', '0f8fad5b-d9cb-469f-a165-70867728950e', true],
    ['UserId', 'not-a-uuid', false],
    ['Limit', '100', true],
    ['Limit', '101', false],
    ['AsOf', '2026-11-26T15:00:00Z', true],
    ['AsOf', '2026-11-26T15:00:00.123+01:00', true],
    ['AsOf', 'yesterday', false],
    // A leap second passes `format: date-time` and is an Invalid Date in JavaScript; so are these spellings.
    ['AsOf', '2026-12-31T23:59:60Z', false],
    ['AsOf', '2026-11-26t15:00:00z', false],
    ['AsOf', '2026-11-26 15:00:00Z', false],
    ['AsOf', '2026-02-30T00:00:00Z', false],
    ['CommandId', 'c0ffee', true],
    ['CommandId', '0f8fad5b-d9cb-469f-a165-70867728950e', true],
    ['CommandId', '.x', true],
    ['CommandId', '...', true],
    // A URL resolves these to another path: /v1/commands/.. is /v1/.
    ['CommandId', '.', false],
    ['CommandId', '..', false],
    ['CommandId', 'x'.repeat(129), false],
    ['IdempotencyKey', '..', false],
    ['NameQuery', 'Zoë', true],
    ['NameQuery', 'Ada\u0000', false],
    ['NameQuery', 'Ada\nLovelace', false],
    ['NameQuery', 'Ada\u007f', false],
    ['NameQuery', 'Ada\u0085', false],
  ] as const)('%s %j valid: %s', (name, raw, valid) => {
    const check = () => validateParameter(name, raw);
    if (valid) expect(check()).toBe(raw);
    else expect(check).toThrow(ValidationError);
  });
});
