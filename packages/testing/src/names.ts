import { randomBytes } from 'node:crypto';

/** A fresh name for a topic, group or database, so that tests sharing servers never see each other's data. */
export function randomName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}
