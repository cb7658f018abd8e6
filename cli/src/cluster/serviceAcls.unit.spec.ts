import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } from 'kafkajs';
import { aclEntries } from '../commands/kafkaAcls';
import { serviceAcls, type AclHolder } from './serviceAcls';

const principals: Record<AclHolder, string> = {
  command: 'User:c',
  projector: 'User:p',
  notifier: 'User:n',
  query: 'User:q',
  integration: 'User:i',
  operator: 'User:o',
};

describe('serviceAcls', () => {
  const rules = serviceAcls({ prefix: 'env1.' });
  const granted = (holder: AclHolder, operation: string) =>
    rules
      .filter(
        (r) => r.holder === holder && r.resource === 'TOPIC' && r.operations.includes(operation as never),
      )
      .map((r) => `${r.pattern} ${r.name}`)
      .sort();

  it('lets each service write only the topics it owns, and the operator none', () => {
    expect(granted('command', 'WRITE')).toEqual([
      'LITERAL env1.users.command-results',
      'LITERAL env1.users.commands',
      'LITERAL env1.users.events',
      'LITERAL env1.users.snapshots',
    ]);
    expect(granted('projector', 'WRITE')).toEqual(['LITERAL env1.users.events.dlq']);
    expect(granted('notifier', 'WRITE')).toEqual(['LITERAL env1.users.notifications.dlq']);
    expect(granted('operator', 'WRITE')).toEqual([]);
    expect(granted('query', 'WRITE')).toEqual([]);
    expect(granted('integration', 'WRITE')).toEqual(['LITERAL env1.users.integration.v1']);
  });

  it('lets the query service only describe users.events (where the log ends), and join no group', () => {
    expect(rules.filter((r) => r.holder === 'query')).toEqual([
      {
        holder: 'query',
        resource: 'TOPIC',
        pattern: 'LITERAL',
        name: 'env1.users.events',
        operations: ['DESCRIBE'],
      },
    ]);
  });

  it('lets the projector and the notifier read users.events only, and the operator every users topic', () => {
    expect(granted('projector', 'READ')).toEqual(['LITERAL env1.users.events']);
    expect(granted('notifier', 'READ')).toEqual(['LITERAL env1.users.events']);
    expect(granted('operator', 'READ')).toEqual(['PREFIXED env1.users.']);
  });

  it('lets the translator read users.events, publish users.integration.v1 transactionally, and nothing more', () => {
    expect(rules.filter((r) => r.holder === 'integration')).toEqual([
      {
        holder: 'integration',
        resource: 'TOPIC',
        pattern: 'LITERAL',
        name: 'env1.users.events',
        operations: ['READ'],
      },
      // READ too: it restores what it last published per user from the public topic itself (decision 0017).
      {
        holder: 'integration',
        resource: 'TOPIC',
        pattern: 'LITERAL',
        name: 'env1.users.integration.v1',
        operations: ['READ', 'WRITE', 'CREATE'],
      },
      {
        holder: 'integration',
        resource: 'GROUP',
        pattern: 'LITERAL',
        name: 'env1.integration.users',
        operations: ['READ'],
      },
      {
        holder: 'integration',
        resource: 'GROUP',
        pattern: 'PREFIXED',
        name: 'env1.integration.users.reader-',
        operations: ['READ'],
      },
      {
        holder: 'integration',
        resource: 'TRANSACTIONAL_ID',
        pattern: 'PREFIXED',
        name: 'env1.integration.users-',
        operations: ['WRITE'],
      },
    ]);
    // The operator may replay its group (a replay publishes nothing new), and only read its topic.
    expect(rules.filter((r) => r.name === 'env1.integration.users').map((r) => r.holder)).toEqual([
      'integration',
      'operator',
    ]);
  });

  it('stays under the topic prefix: no wildcard, no cluster-wide grant', () => {
    for (const rule of rules) {
      expect(rule.name).not.toBe('*');
      expect(rule.name.includes('env1.') || rule.name === 'eventfold-cli-').toBe(true);
    }
    // Transactional ids (fencing partition owners): the command service's and the translator's, each its own.
    expect(
      rules.filter((r) => r.resource === 'TRANSACTIONAL_ID').map((r) => [r.holder, r.name, r.operations]),
    ).toEqual([
      ['command', 'env1.command-processor.users-', ['WRITE']],
      ['integration', 'env1.integration.users-', ['WRITE']],
    ]);
  });

  it("follows the projector's and the translator's configured groups", () => {
    const custom = serviceAcls({
      prefix: '',
      projectorGroup: 'blue.projector',
      integrationGroup: 'green.integration',
    });
    expect(custom.filter((r) => r.name === 'blue.projector').map((r) => r.holder)).toEqual([
      'projector',
      'operator',
    ]);
    expect(custom.filter((r) => r.name.startsWith('green.integration')).map((r) => r.name)).toEqual([
      'green.integration',
      'green.integration.reader-',
      'green.integration-',
      'green.integration',
    ]);
  });

  it("becomes Kafka's bindings: one ALLOW per operation, from any host", () => {
    const [first] = aclEntries(rules, principals);
    expect(first).toEqual({
      resourceType: AclResourceTypes.TOPIC,
      resourceName: 'env1.users.commands',
      resourcePatternType: ResourcePatternTypes.LITERAL,
      principal: 'User:c',
      host: '*',
      operation: AclOperationTypes.READ,
      permissionType: AclPermissionTypes.ALLOW,
    });
    expect(aclEntries(rules, principals)).toHaveLength(rules.reduce((n, r) => n + r.operations.length, 0));
  });
});
