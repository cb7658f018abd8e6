import { ERASED, type Projection } from '@eventfold/core';
import { userEventTypes, type RecordedUserEvent } from '../events';
import { userIdOfStream } from '../rules/userId';

/** A user as readers see it: current state plus when it began and last changed (epoch ms). */
export type UserView =
  | { readonly status: 'none'; readonly version: 0 }
  | {
      readonly status: 'active' | 'deactivated';
      readonly id: string;
      readonly name: string;
      readonly email: string;
      readonly locale: string | null;
      readonly version: number;
      readonly createdAt: number;
      readonly updatedAt: number;
    };

/**
 * The user read model as a projection: an evolve over the read document. The projector folds live events with
 * it; time travel folds the stored history with the same function. Pure.
 *
 * Once a user is forgotten its data key is gone, so every event of the stream, even those before UserForgotten,
 * decodes with its personal fields set to `ERASED`: the view never checks what a personal field holds, it folds
 * erased values like any other, and history shows erased values at every version.
 */
export const userViewProjection: Projection<UserView, RecordedUserEvent> = {
  handles: userEventTypes,
  initial: () => ({ status: 'none', version: 0 }),
  evolve(view, event) {
    const at = event.metadata.occurredAt;
    const version = event.metadata.version;
    if (event.type === 'UserRegistered') {
      const { name, email, locale } = event.data;
      const id = userIdOfStream(event.metadata.streamId) ?? event.data.userId;
      return { status: 'active', id, name, email, locale, version, createdAt: at, updatedAt: at };
    }
    if (event.type === 'UserImported') {
      const { name, email } = event.data;
      const id = userIdOfStream(event.metadata.streamId) ?? event.data.userId;
      return { status: 'active', id, name, email, locale: null, version, createdAt: at, updatedAt: at };
    }
    if (view.status === 'none') return view;
    const base = { ...view, version, updatedAt: at };
    switch (event.type) {
      case 'UserNameChanged':
      case 'UserNameCorrected':
        return { ...base, name: event.data.newName };
      case 'UserEmailChanged':
        return { ...base, email: event.data.newEmail };
      case 'UserDeactivated':
        return { ...base, status: 'deactivated' };
      case 'UserReactivated':
        return { ...base, status: 'active' };
      case 'UserForgotten':
        return { ...base, name: ERASED, email: ERASED };
    }
  },
};
