import { ValidationError } from '../errors/errors';

/**
 * Reads typed settings from an environment, collecting every problem, so that a service refuses to start with one
 * message that lists all that is wrong (`check()`), rather than failing on the first or running on a bad value.
 */
export class EnvReader {
  private readonly problems: string[] = [];

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  string(name: string, fallback?: string): string {
    const value = this.env[name]?.trim();
    if (value) return value;
    if (fallback === undefined) this.problems.push(`${name} is required`);
    return fallback ?? '';
  }

  optional(name: string): string | undefined {
    return this.env[name]?.trim() || undefined;
  }

  /** A value exactly as given, not trimmed (a password may begin or end with a space); undefined when empty. */
  secret(name: string): string | undefined {
    return this.env[name] || undefined;
  }

  int(
    name: string,
    fallback: number,
    { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = {},
  ): number {
    const raw = this.env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max}, not "${raw}"`);
      return fallback;
    }
    return value;
  }

  list(name: string, fallback: readonly string[]): string[] {
    const raw = this.env[name]?.trim();
    if (!raw) return [...fallback];
    const items = raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (items.length === 0) this.problems.push(`${name} must list at least one value`);
    return items;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.env[name]?.trim();
    if (!raw) return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')}, not "${raw}"`);
      return fallback;
    }
    return raw as T;
  }

  /** Records a problem no single reader method can see (two variables that contradict each other). */
  problem(message: string): void {
    this.problems.push(message);
  }

  /** Throws one ValidationError listing every problem found so far. */
  check(service: string): void {
    if (this.problems.length > 0) {
      throw new ValidationError(
        'INVALID_CONFIGURATION',
        `${service} configuration is invalid: ${this.problems.join('; ')}`,
      );
    }
  }
}
