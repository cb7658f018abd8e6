// The public HTTP API of eventfold (docs/architecture.md#the-public-http-api), one OpenAPI 3.1 document: the source of truth for validation in
// every service and for the contract tests. The command and query services serve the same /v1 paths internally.

const uuid = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const param = (name: string) => ({ $ref: `#/components/parameters/${name}` });
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ref('Problem') } },
});
const json = (schema: object, description: string, headers?: object) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/json': { schema } },
});
const writeHeaders = {
  ETag: { description: 'The stream version after the command, quoted', schema: { type: 'string' } },
  'X-Consistency-Token': {
    description: 'Send it back on a read to see this write',
    schema: { type: 'string' },
  },
};
/** What the gateway itself may answer on any operation: rate limit, and a backend unreachable, unavailable or slow. */
const gatewayResponses = {
  '429': problem('Rate limit exceeded; see Retry-After'),
  '502': problem('A backend could not be reached, or answered outside this document'),
  '503': problem('A dependency is unavailable; retry'),
  '504': problem('A backend did not answer in time'),
};
const writeResponses = (success: object) => ({
  ...success,
  '202': {
    description: 'Accepted (Prefer: respond-async, or the result took longer than the wait): poll Location',
    headers: { Location: { schema: { type: 'string' } } },
    content: { 'application/json': { schema: ref('CommandStatus') } },
  },
  '400': problem('Malformed request: JSON, unknown fields, invalid values, If-Match, ids'),
  '401': problem('No valid API key'),
  '403': problem('The key lacks the scope'),
  '404': problem('Unknown user'),
  '412': problem('If-Match does not match the current version'),
  '413': problem('Body too large'),
  '415': problem('The body is not application/json'),
  '422': problem('A domain rule forbids the command now'),
  ...gatewayResponses,
});
const writeParameters = [param('IfMatch'), param('IdempotencyKey'), param('Prefer')];
const body = (schema: string, required = true) => ({
  required,
  content: { 'application/json': { schema: ref(schema) } },
});

export const usersOpenApi = {
  openapi: '3.1.0',
  info: {
    title: 'eventfold users API',
    version: '1.0.0',
    description: 'User management, event-sourced: every write is an event; reads come from projections.',
  },
  servers: [{ url: '/' }],
  security: [{ bearer: [] }],
  paths: {
    '/v1/users': {
      post: {
        operationId: 'registerUser',
        summary: 'Register a user',
        parameters: [param('IdempotencyKey'), param('Prefer')],
        requestBody: body('RegisterUserRequest'),
        responses: writeResponses({
          '201': json(ref('WriteResult'), 'Registered', {
            ...writeHeaders,
            Location: { schema: { type: 'string' } },
          }),
          '409': problem('The user already exists'),
        }),
      },
      get: {
        operationId: 'searchUsers',
        summary: 'Search users by name (case-insensitive substring), keyset-paginated',
        parameters: [
          param('NameQuery'),
          param('Limit'),
          param('Cursor'),
          param('ConsistencyToken'),
          param('PreferRead'),
        ],
        responses: {
          '200': json(ref('UserPage'), 'A page of users'),
          '400': problem('Invalid query'),
          '401': problem('No valid API key'),
          '403': problem('The key lacks the scope'),
          ...gatewayResponses,
          '503': problem('A shard is unavailable, or the consistency token was not reached in time'),
        },
      },
    },
    '/v1/users/{id}': {
      get: {
        operationId: 'getUser',
        summary: 'Read a user, now or as of a time or version',
        parameters: [
          param('UserId'),
          param('AsOf'),
          param('AtVersion'),
          param('ConsistencyToken'),
          param('PreferRead'),
        ],
        responses: {
          '200': json(ref('User'), 'The user', { ETag: writeHeaders.ETag }),
          '400': problem('Invalid id or query'),
          '401': problem('No valid API key'),
          '403': problem('The key lacks the scope'),
          '404': problem('Unknown user, or none at that time or version'),
          ...gatewayResponses,
          '503': problem('The consistency token was not reached in time; retry or send Prefer: allow-stale'),
        },
      },
      delete: {
        operationId: 'deactivateUser',
        summary: 'Deactivate a user',
        parameters: [param('UserId'), ...writeParameters],
        requestBody: body('DeactivateUserRequest', false),
        responses: writeResponses({ '200': json(ref('WriteResult'), 'Deactivated', writeHeaders) }),
      },
    },
    '/v1/users/{id}/name': {
      put: {
        operationId: 'changeUserName',
        summary: 'Change a user’s name',
        parameters: [param('UserId'), ...writeParameters],
        requestBody: body('ChangeUserNameRequest'),
        responses: writeResponses({ '200': json(ref('WriteResult'), 'Changed', writeHeaders) }),
      },
    },
    '/v1/users/{id}/name-corrections': {
      post: {
        operationId: 'correctUserName',
        summary: 'Correct a wrongly recorded name (kept distinct from a change in the history)',
        parameters: [param('UserId'), ...writeParameters],
        requestBody: body('CorrectUserNameRequest'),
        responses: writeResponses({ '200': json(ref('WriteResult'), 'Corrected', writeHeaders) }),
      },
    },
    '/v1/users/{id}/email': {
      put: {
        operationId: 'changeUserEmail',
        summary: 'Change a user’s email address',
        parameters: [param('UserId'), ...writeParameters],
        requestBody: body('ChangeUserEmailRequest'),
        responses: writeResponses({ '200': json(ref('WriteResult'), 'Changed', writeHeaders) }),
      },
    },
    '/v1/users/{id}/reactivation': {
      post: {
        operationId: 'reactivateUser',
        summary: 'Reactivate a deactivated user',
        parameters: [param('UserId'), ...writeParameters],
        responses: writeResponses({ '200': json(ref('WriteResult'), 'Reactivated', writeHeaders) }),
      },
    },
    '/v1/users/{id}/personal-data': {
      delete: {
        operationId: 'forgetUser',
        summary:
          'Forget a user: erase its name and email everywhere (crypto-shredding). Forgetting again answers the same success and writes nothing',
        security: [{ bearer: ['admin'] }],
        parameters: [param('UserId'), ...writeParameters],
        requestBody: body('ForgetUserRequest', false),
        responses: writeResponses({ '200': json(ref('WriteResult'), 'Forgotten', writeHeaders) }),
      },
    },
    '/v1/users/{id}/events': {
      get: {
        operationId: 'getUserEvents',
        summary: 'The audit trail of a user: its events, oldest first, paginated',
        parameters: [
          param('UserId'),
          param('Limit'),
          param('Cursor'),
          param('ConsistencyToken'),
          param('PreferRead'),
        ],
        responses: {
          '200': json(ref('EventPage'), 'A page of events'),
          '400': problem('Invalid id or query'),
          '401': problem('No valid API key'),
          '403': problem('The key lacks the scope'),
          '404': problem('Unknown user'),
          ...gatewayResponses,
          '503': problem('The consistency token was not reached in time'),
        },
      },
    },
    '/v1/commands/{commandId}': {
      get: {
        operationId: 'getCommandStatus',
        summary: 'The status of a command: accepted, succeeded or rejected',
        parameters: [param('CommandId')],
        responses: {
          '200': json(ref('CommandStatus'), 'The command status'),
          '400': problem('Invalid command id'),
          '401': problem('No valid API key'),
          '403': problem('The key lacks the scope'),
          '404': problem('Unknown command'),
          ...gatewayResponses,
        },
      },
    },
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API key from API_KEYS' } },
    parameters: {
      UserId: { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: uuid } },
      CommandId: {
        name: 'commandId',
        in: 'path',
        required: true,
        schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$' },
      },
      IfMatch: {
        name: 'If-Match',
        in: 'header',
        description: 'The expected stream version, quoted ("3"); 412 when it does not match',
        schema: { type: 'string', pattern: '^(\\*|"(0|[1-9][0-9]{0,15})")$' },
      },
      IdempotencyKey: {
        name: 'Idempotency-Key',
        in: 'header',
        description: 'Repeats with the same key answer the first result and write nothing',
        schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$' },
      },
      Prefer: {
        name: 'Prefer',
        in: 'header',
        description: 'respond-async: answer 202 at once',
        schema: { type: 'string' },
      },
      PreferRead: {
        name: 'Prefer',
        in: 'header',
        description: 'allow-stale: with a consistency token, answer stale data rather than 503',
        schema: { type: 'string' },
      },
      ConsistencyToken: {
        name: 'X-Consistency-Token',
        in: 'header',
        description: 'From a write: the read waits until the projection has passed it',
        schema: { type: 'string', pattern: '^[0-9]{1,5}:[0-9]{1,19}$' },
      },
      AsOf: { name: 'asOf', in: 'query', schema: { type: 'string', format: 'date-time' } },
      AtVersion: { name: 'atVersion', in: 'query', schema: { type: 'integer', minimum: 1 } },
      NameQuery: { name: 'name', in: 'query', schema: { type: 'string', maxLength: 100 } },
      Limit: {
        name: 'limit',
        in: 'query',
        schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
      },
      Cursor: { name: 'cursor', in: 'query', schema: { type: 'string', maxLength: 512 } },
    },
    schemas: {
      Name: {
        type: 'string',
        minLength: 1,
        maxLength: 400,
        description: '1 to 100 characters after trimming, no control characters',
      },
      Email: { type: 'string', minLength: 3, maxLength: 320 },
      Reason: { type: ['string', 'null'], maxLength: 1000 },
      RegisterUserRequest: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'email'],
        properties: {
          name: ref('Name'),
          email: ref('Email'),
          locale: { type: ['string', 'null'], maxLength: 16 },
        },
      },
      ChangeUserNameRequest: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: { name: ref('Name'), reason: ref('Reason') },
      },
      CorrectUserNameRequest: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'reason'],
        properties: { name: ref('Name'), reason: { type: 'string', minLength: 1, maxLength: 1000 } },
      },
      ChangeUserEmailRequest: {
        type: 'object',
        additionalProperties: false,
        required: ['email'],
        properties: { email: ref('Email') },
      },
      DeactivateUserRequest: {
        type: 'object',
        additionalProperties: false,
        properties: { reason: ref('Reason') },
      },
      ForgetUserRequest: {
        type: 'object',
        additionalProperties: false,
        description: 'reason: an operator’s note, stored in plain text; never a name or an address',
        properties: { reason: ref('Reason') },
      },
      WriteResult: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'version', 'consistencyToken', 'commandId'],
        properties: {
          id: { type: 'string', pattern: uuid },
          version: { type: 'integer', minimum: 0 },
          consistencyToken: { type: ['string', 'null'] },
          commandId: { type: 'string' },
        },
      },
      CommandStatus: {
        type: 'object',
        additionalProperties: false,
        required: ['commandId', 'status'],
        properties: {
          commandId: { type: 'string' },
          status: { enum: ['accepted', 'succeeded', 'rejected'] },
          id: { type: 'string' },
          commandType: { type: 'string' },
          version: { type: 'integer' },
          consistencyToken: { type: ['string', 'null'] },
          error: ref('Problem'),
          completedAt: { type: 'string', format: 'date-time' },
        },
      },
      User: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'name', 'email', 'status', 'version'],
        properties: {
          id: { type: 'string', pattern: uuid },
          name: { type: 'string' },
          email: { type: 'string' },
          locale: { type: ['string', 'null'] },
          status: { enum: ['active', 'deactivated'] },
          version: { type: 'integer', minimum: 1 },
          createdAt: { type: 'string', format: 'date-time' },
          updatedAt: { type: 'string', format: 'date-time' },
        },
      },
      UserPage: {
        type: 'object',
        additionalProperties: false,
        required: ['items', 'nextCursor'],
        properties: {
          items: { type: 'array', items: ref('User') },
          nextCursor: { type: ['string', 'null'] },
        },
      },
      UserEvent: {
        type: 'object',
        additionalProperties: false,
        required: ['streamId', 'version', 'type', 'occurredAt', 'data'],
        properties: {
          eventId: { type: 'string' },
          streamId: { type: 'string' },
          version: { type: 'integer', minimum: 1 },
          type: { type: 'string' },
          occurredAt: { type: 'string', format: 'date-time' },
          recordedAt: { type: 'string', format: 'date-time' },
          data: { type: 'object' },
          metadata: { type: 'object' },
        },
      },
      EventPage: {
        type: 'object',
        additionalProperties: false,
        required: ['items', 'nextCursor'],
        properties: {
          items: { type: 'array', items: ref('UserEvent') },
          nextCursor: { type: ['string', 'null'] },
        },
      },
      Problem: {
        type: 'object',
        required: ['type', 'title', 'status'],
        properties: {
          type: { type: 'string' },
          title: { type: 'string' },
          status: { type: 'integer' },
          detail: { type: 'string' },
          instance: { type: 'string' },
          code: { type: 'string' },
        },
      },
    },
  },
} as const;

export type UsersOpenApi = typeof usersOpenApi;
