import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { ValidationError } from '@eventfold/core';
import { usersOpenApi } from './openapi';

export type SchemaName = keyof typeof usersOpenApi.components.schemas;

const ajv = new Ajv2020({ allErrors: false, strict: false });
addFormats(ajv);
// Every component schema under its OpenAPI address, so that $refs resolve exactly as in the document.
ajv.addSchema({ $id: 'openapi', components: usersOpenApi.components });
const compiled = new Map<string, ValidateFunction>();

function validatorOf(ref: string): ValidateFunction {
  let validate = compiled.get(ref);
  if (!validate) {
    validate = ajv.compile({ $ref: `openapi#/components/${ref}` });
    compiled.set(ref, validate);
  }
  return validate;
}

function describe(error: ErrorObject): { code: string; message: string } {
  const where = error.instancePath ? error.instancePath.slice(1).replace(/\//g, '.') : 'body';
  if (error.keyword === 'additionalProperties') {
    const field = (error.params as { additionalProperty: string }).additionalProperty;
    return {
      code: 'UNKNOWN_FIELD',
      message: `Unknown field "${field}"${where === 'body' ? '' : ` in ${where}`}`,
    };
  }
  if (error.keyword === 'required') {
    return {
      code: 'MISSING_FIELD',
      message: `Missing field "${(error.params as { missingProperty: string }).missingProperty}"`,
    };
  }
  return { code: 'INVALID_FIELD', message: `${where} ${error.message ?? 'is invalid'}` };
}

/** Checks a value against a schema of the OpenAPI document; throws a ValidationError naming what is wrong. */
export function validateSchema<T>(name: SchemaName, value: unknown): T {
  const validate = validatorOf(`schemas/${name}`);
  if (!validate(value)) {
    const { code, message } = describe(validate.errors![0]!);
    throw new ValidationError(code, message);
  }
  return value as T;
}

export type ParameterName = keyof typeof usersOpenApi.components.parameters;

/** Checks a path, query or header parameter against its schema in the document (strings are given as received). */
export function validateParameter(name: ParameterName, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const parameter = usersOpenApi.components.parameters[name];
  const schema = parameter.schema as { type?: string };
  const value = schema.type === 'integer' && /^-?\d+$/.test(raw) ? Number(raw) : raw;
  const validate = validatorOf(`parameters/${name}/schema`);
  if (!validate(value)) {
    throw new ValidationError(
      `INVALID_${parameter.in.toUpperCase()}`,
      `${parameter.in} ${parameter.name} ${validate.errors![0]!.message ?? 'is invalid'}`,
    );
  }
  return raw;
}
