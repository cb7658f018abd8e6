import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ResourcePatternTypes,
  type AclEntry,
  type Admin,
} from 'kafkajs';
import type { AclHolder, AclRule } from '../cluster/serviceAcls';
import type { Output } from './output';

/** The Kafka principal of each holder, `User:<name>` (SCRAM users are principals of that form). */
export type AclPrincipals = Readonly<Record<AclHolder, string>>;

/** Kafka's ACL bindings of the rules: one ALLOW per operation, from any host. */
export function aclEntries(rules: readonly AclRule[], principals: AclPrincipals): AclEntry[] {
  return rules.flatMap((rule) =>
    rule.operations.map((operation) => ({
      resourceType: AclResourceTypes[rule.resource],
      resourceName: rule.name,
      resourcePatternType: ResourcePatternTypes[rule.pattern],
      principal: principals[rule.holder],
      host: '*',
      operation: AclOperationTypes[operation],
      permissionType: AclPermissionTypes.ALLOW,
    })),
  );
}

/** One line per rule: principal, resource, pattern, name, operations (what `--apply` creates). */
export function printAcls(rules: readonly AclRule[], principals: AclPrincipals, out: Output): void {
  const rows = rules.map((r) => [
    principals[r.holder],
    r.resource,
    r.pattern,
    r.name,
    r.operations.join(','),
  ]);
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows)
    out.line(
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    );
}

/**
 * Creates the ACLs (Kafka keeps an existing identical binding as it is, so applying twice is harmless). Needs a
 * principal allowed to alter the cluster's ACLs: a super user (locally, the plaintext listener) or one with ALTER
 * on the cluster.
 */
export async function applyAcls(
  admin: Admin,
  rules: readonly AclRule[],
  principals: AclPrincipals,
  out: Output,
): Promise<void> {
  const entries = aclEntries(rules, principals);
  await admin.createAcls({ acl: entries });
  out.line(`✓ ${entries.length} ACLs applied for ${new Set(Object.values(principals)).size} principals`);
}
