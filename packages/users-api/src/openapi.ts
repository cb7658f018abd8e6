// The public HTTP API of eventfold (docs/architecture.md#the-public-http-api), one OpenAPI 3.1 document: the source of truth for validation in
// every service and for the contract tests. The command and query services serve the same /v1 paths internally.

const uuid = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
/**
 * A command id (an Idempotency-Key becomes one): 1 to 128 of `A-Za-z0-9._:-`, but not `.` or `..`, which a URL
 * resolves to another path (`/v1/commands/..` is `/v1/`). Written without lookahead, which not every regex
 * engine reading the document supports.
 */
const commandId =
  '^([A-Za-z0-9_:-][A-Za-z0-9._:-]{0,127}|\\.([A-Za-z0-9_:-][A-Za-z0-9._:-]{0,126}|\\.[A-Za-z0-9._:-]{1,126}))$';
/**
 * RFC 3339 as JavaScript's Date reads it: `T` and `Z` upper case and seconds 00 to 59 (`format: date-time` also
 * admits a leap second, `23:59:60`, which Date cannot represent, and a space or `t` as separator).
 */
const dateTime =
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-5][0-9](\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$';
/** No C0 or C1 control character (Unicode category Cc), spelled as ranges that every regex engine reads. */
const noControlCharacters = '^[^\\u0000-\\u001F\\u007F-\\u009F]*$';
/**
 * No control character, and at least one character that is not white space as JavaScript's trim() removes it:
 * what the domain keeps of a required reason is never empty.
 */
const visibleText =
  '^[^\\u0000-\\u001F\\u007F-\\u009F]*' +
  '[^\\u0000-\\u0020\\u007F-\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF]' +
  '[^\\u0000-\\u001F\\u007F-\\u009F]*$';
/**
 * A name: as {@link visibleText}, and without the invisible characters that make one name look like another
 * (bidirectional controls U+200E–U+200F, U+202A–U+202E, U+2066–U+2069; zero-width space, word joiner, byte-order
 * mark), which the domain's name rule refuses.
 */
const nameText =
  '^[^\\u0000-\\u001F\\u007F-\\u009F\\u200B\\u200E\\u200F\\u202A-\\u202E\\u2060\\u2066-\\u2069\\uFEFF]*' +
  '[^\\u0000-\\u0020\\u007F-\\u00A0\\u1680\\u2000-\\u200B\\u200E\\u200F\\u2028-\\u202F\\u205F\\u2060\\u2066-\\u2069\\u3000\\uFEFF]' +
  '[^\\u0000-\\u001F\\u007F-\\u009F\\u200B\\u200E\\u200F\\u202A-\\u202E\\u2060\\u2066-\\u2069\\uFEFF]*$';
/**
 * The address the domain accepts (users-domain rules/email.ts): a dot-atom local part, `@`, and a host name of at
 * least two labels whose last is letters only. With the schema's `not`, the local part is at most 64 characters.
 */
const email =
  "^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*" +
  '@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}$';
/** The user event types, as the all-users feed filters on them (a test holds them to the domain's). */
export const USER_EVENT_TYPES = Object.freeze([
  'UserRegistered',
  'UserImported',
  'UserNameChanged',
  'UserNameCorrected',
  'UserEmailChanged',
  'UserDeactivated',
  'UserReactivated',
  'UserForgotten',
] as const);
const eventType = `(${USER_EVENT_TYPES.join('|')})`;
/** A position in the log: `<partition>:<offset>` (docs/decisions/0004-consistency-tokens.md). */
const logPosition = '[0-9]{1,5}:[0-9]{1,19}';
/** An object schema with no members but `properties`, of which `required` must be present. */
const closedObject = <const R extends readonly string[], const P extends object>(
  required: R,
  properties: P,
) => ({ type: 'object', additionalProperties: false, required, properties }) as const;
/** SSE as OpenAPI 3.1 can state it: each server-sent event as a client's parser hands it over (3.2: itemSchema). */
const serverSentEvents = (description: string) => ({
  schema: {
    type: 'object',
    description,
    properties: {
      id: { type: 'string' },
      event: { type: 'string' },
      data: { type: 'string' },
      retry: { type: 'integer' },
    },
  },
});
const UNREACHABLE_TOKEN =
  'an X-Consistency-Token naming no position of the event log: CONSISTENCY_TOKEN_UNREACHABLE';
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
/** The answers of a write; `ifMatch: false` for one that takes no If-Match (and so never answers 412). */
const writeResponses = (success: object, { ifMatch = true } = {}) => ({
  ...success,
  '202': {
    description: 'Accepted (Prefer: respond-async, or the result took longer than the wait): poll Location',
    headers: { Location: { schema: { type: 'string' } } },
    content: { 'application/json': { schema: ref('CommandStatus') } },
  },
  '400': problem('Malformed request: JSON, unknown fields, values outside their schema'),
  '401': problem('No valid API key'),
  '403': problem('The key lacks the scope'),
  '404': problem('Unknown user'),
  ...(ifMatch
    ? {
        '412': problem(
          'VERSION_MISMATCH: If-Match does not match the current version (or the user is unknown)',
        ),
      }
    : {}),
  '413': problem('Body too large'),
  '415': problem('The body is not application/json'),
  '422': problem(
    'A domain rule forbids the command in the user’s current state: USER_FORGOTTEN, USER_DEACTIVATED, ' +
      'USER_ALREADY_DEACTIVATED, USER_ALREADY_ACTIVE, NAME_UNCHANGED, EMAIL_UNCHANGED; or ' +
      'IDEMPOTENCY_KEY_REUSED: this caller sent the Idempotency-Key before with another request (another ' +
      'route, user or body), and a key is never answered with another request’s result',
  ),
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
        responses: writeResponses(
          {
            '201': json(ref('WriteResult'), 'Registered', {
              ...writeHeaders,
              Location: { schema: { type: 'string' } },
            }),
            '409': problem(
              'EMAIL_TAKEN: another user holds the address (who is not said); USER_ALREADY_REGISTERED: the user ' +
                'already exists; or EMAIL_RESERVATION_EXPIRED: the address was reserved, but the registration ' +
                'was not made in time (send it again with a new Idempotency-Key)',
            ),
          },
          { ifMatch: false },
        ),
      },
      get: {
        operationId: 'searchUsers',
        summary: 'Search users by name (case-insensitive substring), keyset-paginated',
        parameters: [
          param('NameQuery'),
          param('Limit'),
          param('UserCursor'),
          param('ConsistencyToken'),
          param('PreferRead'),
        ],
        responses: {
          '200': json(ref('UserPage'), 'A page of users'),
          '400': problem(`Invalid query, or ${UNREACHABLE_TOKEN}`),
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
          '400': problem(`Invalid id or query, or ${UNREACHABLE_TOKEN}`),
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
        description:
          'Not a removal: the user stays, readable with status deactivated (its audit trail too), and can be ' +
          'reactivated. Forgetting is DELETE /v1/users/{id}/personal-data.',
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
        responses: writeResponses({
          '200': json(ref('WriteResult'), 'Changed', writeHeaders),
          '409': problem(
            'EMAIL_TAKEN: another user holds the address (who is not said); or EMAIL_RESERVATION_EXPIRED: the ' +
              'address was reserved, but the change was not made in time (send it again with a new ' +
              'Idempotency-Key)',
          ),
        }),
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
        summary:
          'The audit trail of a user: its events, oldest first, paginated; or followed live (follow=true)',
        description:
          'With follow=true the answer is a stream of server-sent events (text/event-stream) that stays open: the ' +
          'events after Last-Event-ID (or after=, else all of them), then each new event as the read model stores ' +
          'it. Each event is `id: <version>`, `event: <type>`, `data: <the Event as JSON>`; a comment line ' +
          '(`: heartbeat`) every 15 s. A reconnecting client (EventSource) sends the last id it got as ' +
          'Last-Event-ID and misses nothing and gets nothing twice. A client that stops reading is disconnected ' +
          'and resumes the same way. An API key holds at most a few streams at a time (429 above).',
        parameters: [
          param('UserId'),
          param('Limit'),
          param('EventCursor'),
          param('ConsistencyToken'),
          param('PreferRead'),
          param('Follow'),
          param('FollowAfter'),
          param('LastEventId'),
        ],
        responses: {
          '200': {
            description: 'A page of events; with follow=true, a stream of server-sent events',
            content: {
              'application/json': { schema: ref('EventPage') },
              'text/event-stream': serverSentEvents(
                'One server-sent event per user event (see above): id its version, event its type, data the Event as JSON',
              ),
            },
          },
          '400': problem(`Invalid id or query, or ${UNREACHABLE_TOKEN}`),
          '401': problem('No valid API key'),
          '403': problem('The key lacks the scope'),
          '404': problem('Unknown user'),
          ...gatewayResponses,
          '503': problem('The consistency token was not reached in time'),
        },
      },
    },
    '/v1/events': {
      get: {
        operationId: 'followEvents',
        summary: 'Every user’s events, followed live: server-sent events (follow=true)',
        description:
          'A stream of server-sent events (text/event-stream) that stays open: every user’s events, each partition ' +
          'of the log in its order (across partitions, by the time the log stored them), first those stored after ' +
          'Last-Event-ID (else all of them), then each new event as the read model stores it; with type=, only ' +
          'events of those types. Each event is `id: <position>`, `event: <type>`, `data: <the Event as JSON>`; the ' +
          'position is, per partition, the offset passed, as consistency tokens joined by commas (`0:41,3:17`), and ' +
          'a consistency token from a write is a position too. A comment line (`: heartbeat`) every 15 s. A ' +
          'reconnecting client (EventSource) sends the last id it got as Last-Event-ID and misses nothing and gets ' +
          'nothing twice. A client that stops reading is disconnected and resumes the same way. A forgotten user’s ' +
          'personal fields come out erased. Scope admin or events:read; an API key holds at most a few streams at a ' +
          'time (429 above).',
        security: [{ bearer: ['admin', 'events:read'] }],
        parameters: [param('FollowAll'), param('EventTypes'), param('FeedPosition')],
        responses: {
          '200': {
            description: 'A stream of server-sent events',
            content: {
              'text/event-stream': serverSentEvents(
                'One server-sent event per user event (see above): id the feed position after it, event its type, data the Event as JSON',
              ),
            },
          },
          '400': problem(
            'follow=true missing, an unknown event type, or a Last-Event-ID that is no position',
          ),
          '401': problem('No valid API key'),
          '403': problem('The key lacks the scope'),
          ...gatewayResponses,
          '429': problem(
            'Rate limit exceeded, or TOO_MANY_STREAMS: the key holds as many follow streams as it may; see Retry-After',
          ),
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
        schema: { type: 'string', pattern: commandId },
      },
      IfMatch: {
        name: 'If-Match',
        in: 'header',
        description:
          'The expected stream version, quoted ("3"), at most 15 digits (a version is a safe integer); ' +
          '412 when it does not match',
        schema: { type: 'string', pattern: '^(\\*|"(0|[1-9][0-9]{0,14})")$' },
      },
      IdempotencyKey: {
        name: 'Idempotency-Key',
        in: 'header',
        description:
          'Repeats with the same key answer the first result and write nothing; it becomes the command id',
        schema: { type: 'string', pattern: commandId },
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
      Follow: {
        name: 'follow',
        in: 'query',
        description: 'true: stream the events as server-sent events and keep following the user',
        schema: { type: 'string', enum: ['true', 'false'] },
      },
      FollowAfter: {
        name: 'after',
        in: 'query',
        description: 'With follow=true: start after this version (Last-Event-ID, when sent, wins)',
        schema: { type: 'string', pattern: '^(0|[1-9][0-9]{0,14})$' },
      },
      LastEventId: {
        name: 'Last-Event-ID',
        in: 'header',
        description:
          'With follow=true: the id (version) of the last event received; the stream resumes after it',
        schema: { type: 'string', pattern: '^(0|[1-9][0-9]{0,14})$' },
      },
      FollowAll: {
        name: 'follow',
        in: 'query',
        required: true,
        description: 'true: this path answers a stream of server-sent events only',
        schema: { type: 'string', enum: ['true'] },
      },
      EventTypes: {
        name: 'type',
        in: 'query',
        description: 'Only events of these types, comma-separated (UserRegistered,UserForgotten)',
        schema: {
          type: 'string',
          pattern: `^${eventType}(,${eventType}){0,${USER_EVENT_TYPES.length - 1}}$`,
        },
      },
      FeedPosition: {
        name: 'Last-Event-ID',
        in: 'header',
        description:
          'The id of the last event received (per partition, the offset passed: `0:41,3:17`), or a consistency ' +
          'token; the stream resumes after it, and partitions it does not name are read from their start',
        schema: { type: 'string', pattern: `^(${logPosition}(,${logPosition}){0,255})?$` },
      },
      ConsistencyToken: {
        name: 'X-Consistency-Token',
        in: 'header',
        description: 'From a write: the read waits until the projection has passed it',
        schema: { type: 'string', pattern: '^[0-9]{1,5}:[0-9]{1,19}$' },
      },
      AsOf: {
        name: 'asOf',
        in: 'query',
        description: 'The user as it was at this time; with atVersion, at whichever of the two came first',
        schema: { type: 'string', format: 'date-time', pattern: dateTime },
      },
      AtVersion: {
        name: 'atVersion',
        in: 'query',
        description: 'The user as it was at this version; with asOf, at whichever of the two came first',
        schema: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
      },
      NameQuery: {
        name: 'name',
        in: 'query',
        description: 'A part of the name, any case; no control characters',
        schema: { type: 'string', maxLength: 100, pattern: noControlCharacters },
      },
      Limit: {
        name: 'limit',
        in: 'query',
        schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
      },
      UserCursor: {
        name: 'cursor',
        in: 'query',
        description:
          'nextCursor of the page before: base64url of a name key, a dot, and a user id; any cursor of this shape ' +
          'continues after the place it names',
        schema: { type: 'string', pattern: `^[A-Za-z0-9_-]{0,1600}\\.${uuid.slice(1)}` },
      },
      EventCursor: {
        name: 'cursor',
        in: 'query',
        description: 'nextCursor of the page before: the version the next page starts after',
        schema: { type: 'string', pattern: '^(0|[1-9][0-9]{0,14})$' },
      },
    },
    schemas: {
      Name: {
        type: 'string',
        minLength: 1,
        maxLength: 100,
        pattern: nameText,
        description:
          'At most 100 characters, not only white space, no control characters, no bidirectional controls or ' +
          'zero-width characters; kept trimmed, in Unicode NFC',
      },
      Email: {
        type: 'string',
        maxLength: 254,
        pattern: email,
        not: { pattern: '^[^@]{65}' },
        description:
          'local@host.domain: a dot-atom local part of at most 64 characters, a host name whose last label is ' +
          'letters; kept with its host name in lower case',
      },
      Reason: {
        type: ['string', 'null'],
        maxLength: 500,
        pattern: noControlCharacters,
        description: 'At most 500 characters, no control characters; kept trimmed, empty as none',
      },
      Locale: {
        type: ['string', 'null'],
        pattern: '^[A-Za-z]{2,3}([-_][A-Za-z]{2})?$',
        description: 'A language, and a region if any: "en", "pt-BR"; kept as en, pt-BR',
      },
      RegisterUserRequest: closedObject(['name', 'email'], {
        name: ref('Name'),
        email: ref('Email'),
        locale: ref('Locale'),
      }),
      ChangeUserNameRequest: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: { name: ref('Name'), reason: ref('Reason') },
      },
      CorrectUserNameRequest: closedObject(['name', 'reason'], {
        name: ref('Name'),
        reason: {
          type: 'string',
          minLength: 1,
          maxLength: 500,
          pattern: visibleText,
          description: 'Why the recorded name was wrong: at most 500 characters, not only white space',
        },
      }),
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
      WriteResult: closedObject(['id', 'version', 'consistencyToken', 'commandId'], {
        id: { type: 'string', pattern: uuid },
        version: { type: 'integer', minimum: 0 },
        consistencyToken: { type: ['string', 'null'] },
        commandId: { type: 'string' },
      }),
      CommandStatus: closedObject(['commandId', 'status'], {
        commandId: { type: 'string' },
        status: { enum: ['accepted', 'succeeded', 'rejected'] },
        id: { type: 'string' },
        commandType: { type: 'string' },
        version: { type: 'integer' },
        consistencyToken: { type: ['string', 'null'] },
        error: ref('Problem'),
        completedAt: { type: 'string', format: 'date-time' },
      }),
      User: closedObject(['id', 'name', 'email', 'status', 'version'], {
        id: { type: 'string', pattern: uuid },
        name: { type: 'string' },
        email: { type: 'string' },
        locale: { type: ['string', 'null'] },
        status: { enum: ['active', 'deactivated'] },
        version: { type: 'integer', minimum: 1 },
        createdAt: { type: 'string', format: 'date-time' },
        updatedAt: { type: 'string', format: 'date-time' },
      }),
      UserPage: closedObject(['items', 'nextCursor'], {
        items: { type: 'array', items: ref('User') },
        nextCursor: { type: ['string', 'null'] },
      }),
      UserEvent: closedObject(['streamId', 'version', 'type', 'occurredAt', 'data'], {
        eventId: { type: 'string' },
        streamId: { type: 'string' },
        version: { type: 'integer', minimum: 1 },
        type: { type: 'string' },
        occurredAt: { type: 'string', format: 'date-time' },
        recordedAt: { type: 'string', format: 'date-time' },
        data: { type: 'object' },
        metadata: { type: 'object' },
      }),
      EventPage: closedObject(['items', 'nextCursor'], {
        items: { type: 'array', items: ref('UserEvent') },
        nextCursor: { type: ['string', 'null'] },
      }),
      Problem: {
        type: 'object',
        required: ['type', 'title', 'status'],
        properties: {
          type: { type: 'string' },
          title: { type: 'string' },
          status: { type: 'integer' },
          detail: { type: 'string' },
          instance: { type: 'string' },
          code: { type: 'string', description: 'Stable, for programs: the kind of problem' },
          commandId: { type: 'string', description: 'The command a write became, when it was refused' },
        },
      },
    },
  },
} as const;

export type UsersOpenApi = typeof usersOpenApi;
