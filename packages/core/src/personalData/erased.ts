/**
 * What a forgotten person's personal fields read as, everywhere: decoded records, the domain's state, the read
 * model, time travel. A string, like the fields it replaces, so every reader and every schema keeps working.
 * Defined here, in core, because both the pure users domain and the crypto adapter need it, and neither may
 * depend on the other.
 */
export const ERASED = '[erased]';
