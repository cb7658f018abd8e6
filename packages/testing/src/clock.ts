/**
 * A clock for a service under test that runs with real time and can be moved ahead: a test that needs a window to
 * pass (an idempotency window, a TTL) advances it instead of sleeping through it.
 */
export interface TestClock {
  readonly now: () => number;
  advance(ms: number): void;
}

export function testClock(): TestClock {
  let ahead = 0;
  return {
    now: () => Date.now() + ahead,
    advance(ms) {
      ahead += ms;
    },
  };
}
