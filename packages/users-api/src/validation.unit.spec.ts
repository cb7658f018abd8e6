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
    ['UserId', '0f8fad5b-d9cb-469f-a165-70867728950e', true],
    ['UserId', 'not-a-uuid', false],
    ['Limit', '100', true],
    ['Limit', '101', false],
    ['AsOf', '2026-11-26T15:00:00Z', true],
    ['AsOf', 'yesterday', false],
  ] as const)('%s %j valid: %s', (name, raw, valid) => {
    const check = () => validateParameter(name, raw);
    if (valid) expect(check()).toBe(raw);
    else expect(check).toThrow(ValidationError);
  });
});
