export { usersOpenApi, type UsersOpenApi } from './openapi';
export { validateParameter, validateSchema, type ParameterName, type SchemaName } from './validation';
