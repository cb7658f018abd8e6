import { usersOpenApi } from '@eventfold/users-api';
import { backendOf, gatewayOperations, scopesOf } from './operations';
import type { OpenApiDocument } from './openApiTypes';

describe('gatewayOperations', () => {
  const operations = gatewayOperations();
  const byId = Object.fromEntries(operations.map((o) => [o.id, o]));

  it('serves every operation of the document', () => {
    const documented = Object.values(usersOpenApi.paths).flatMap((item) =>
      Object.values(item).map((o) => (o as { operationId: string }).operationId),
    );
    expect(operations.map((o) => o.id).sort()).toEqual([...documented].sort());
  });

  it('routes writes and command status to the command service, other reads to the query service', () => {
    expect(
      operations
        .filter((o) => o.backend === 'query')
        .map((o) => o.id)
        .sort(),
    ).toEqual(['followEvents', 'getUser', 'getUserEvents', 'searchUsers']);
    expect(byId.getCommandStatus!.backend).toBe('command');
    expect(backendOf('delete', '/v1/users/{id}/personal-data')).toBe('command');
  });

  it('asks users:read for reads, users:write for writes, either for a command’s status', () => {
    expect(byId.getUser!.scopes).toEqual(['users:read']);
    expect(byId.registerUser!.scopes).toEqual(['users:write']);
    expect(byId.deactivateUser!.scopes).toEqual(['users:write']);
    expect(byId.getCommandStatus!.scopes).toEqual(['users:read', 'users:write']);
  });

  it('serves followEvents: GET /v1/events, admin or events:read, to the query service', () => {
    expect(byId.followEvents).toMatchObject({
      method: 'get',
      expressPath: '/v1/events',
      backend: 'query',
      scopes: ['admin', 'events:read'],
    });
    expect(byId.followEvents!.parameters.map((p) => [p.component, p.required])).toEqual([
      ['FollowAll', true],
      ['EventTypes', false],
      ['FeedPosition', false],
    ]);
  });

  it('serves forgetUser: DELETE /v1/users/{id}/personal-data, admin only, to the command service', () => {
    const forget = byId.forgetUser!;
    expect(forget).toMatchObject({
      method: 'delete',
      expressPath: '/v1/users/:id/personal-data',
      backend: 'command',
      scopes: ['admin'],
      body: { schema: 'ForgetUserRequest', required: false },
    });
    expect(forget.parameters.map((p) => p.component)).toEqual([
      'UserId',
      'IfMatch',
      'IdempotencyKey',
      'Prefer',
    ]);
    expect(Object.keys(forget.responses)).toEqual(
      expect.arrayContaining(['200', '202', '403', '404', '412']),
    );
  });

  it('asks admin to forget personal data, and takes the document’s own scopes when it states them', () => {
    expect(
      scopesOf('delete', '/v1/users/{id}/personal-data', { operationId: 'forget', responses: {} }),
    ).toEqual(['admin']);
    expect(
      scopesOf('get', '/v1/users', { operationId: 'x', responses: {}, security: [{ bearer: ['admin'] }] }),
    ).toEqual(['admin']);
    expect(() =>
      scopesOf('get', '/v1/users', { operationId: 'x', responses: {}, security: [{ bearer: ['root'] }] }),
    ).toThrow('x names unknown scopes: root');
  });

  it('reads parameters, body and responses through the document’s components', () => {
    const rename = byId.changeUserName!;
    expect(rename.expressPath).toBe('/v1/users/:id/name');
    expect(rename.parameters.map((p) => [p.component, p.in])).toEqual([
      ['UserId', 'path'],
      ['IfMatch', 'header'],
      ['IdempotencyKey', 'header'],
      ['Prefer', 'header'],
    ]);
    expect(rename.body).toEqual({ schema: 'ChangeUserNameRequest', required: true });
    expect(byId.deactivateUser!.body).toEqual({ schema: 'DeactivateUserRequest', required: false });
    expect(byId.reactivateUser!.body).toBeNull();
    expect(rename.responses['200']).toEqual({ 'application/json': 'WriteResult' });
    expect(rename.responses['412']).toEqual({ 'application/problem+json': 'Problem' });
  });

  it('refuses at start-up a document it could not validate requests against', () => {
    const inline = {
      paths: { '/x': { get: { operationId: 'x', parameters: [{ name: 'q', in: 'query' }], responses: {} } } },
      components: { parameters: {}, schemas: {} },
    } as unknown as OpenApiDocument;
    expect(() => gatewayOperations(inline)).toThrow('x: every parameter must be a $ref');
  });
});
