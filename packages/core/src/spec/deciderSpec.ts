import assert from 'node:assert/strict';
import { fold, type Decider } from '../decider/decider';
import type { EventfoldError } from '../errors/errors';
import type { DomainEvent, Message } from '../message';

type ErrorClass = abstract new (...args: never[]) => EventfoldError;

/**
 * Given/when/then for deciders: `spec.given([events]).when(command).then([events])`, or `.thenThrows(Class, code)`.
 * Runner-agnostic (node:assert), so it serves Jest, node:test or a REPL alike.
 */
export function deciderSpec<State, C extends Message, E extends DomainEvent>(decider: Decider<State, C, E>) {
  return {
    given(history: readonly E[]) {
      return {
        when(command: C) {
          const run = () => decider.decide(command, fold(decider, history));
          return {
            then(expected: readonly E[]): void {
              assert.deepStrictEqual(run(), expected);
            },
            thenThrows(errorClass: ErrorClass, code?: string): EventfoldError {
              let thrown: unknown;
              try {
                run();
              } catch (error) {
                thrown = error;
              }
              assert.ok(thrown instanceof errorClass, `expected ${errorClass.name}, got ${String(thrown)}`);
              if (code !== undefined) assert.equal(thrown.code, code);
              return thrown;
            },
          };
        },
      };
    },
  };
}

/** A projection: an `evolve` over a read document, and the event types it handles. */
export interface Projection<Doc, E extends DomainEvent> {
  readonly handles: readonly E['type'][];
  initial(): Doc;
  evolve(doc: Doc, event: E): Doc;
}

/** Given/when/then for projections: `spec.given([events]).then(document)`. */
export function projectionSpec<Doc, E extends DomainEvent>(projection: Projection<Doc, E>) {
  return {
    given(events: readonly E[]) {
      const project = () =>
        events
          .filter((e) => projection.handles.includes(e.type))
          .reduce((doc, e) => projection.evolve(doc, e), projection.initial());
      return {
        then(expected: Doc): void {
          assert.deepStrictEqual(project(), expected);
        },
      };
    },
  };
}
