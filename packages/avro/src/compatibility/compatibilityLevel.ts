/** A subject's compatibility rule, in the Confluent API's names (Apicurio's ccompat API takes the same). */
export const CompatibilityLevels = Object.freeze([
  'NONE',
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
] as const);

export type CompatibilityLevel = (typeof CompatibilityLevels)[number];

/** The rule of eventfold's own topics: a reader of any version reads everything written before it. */
export const DEFAULT_COMPATIBILITY: CompatibilityLevel = 'BACKWARD_TRANSITIVE';
