/** What every registered user has, whatever its status. */
interface RegisteredUser {
  readonly userId: string;
  /** `ERASED` (from @eventfold/core) once forgotten. */
  readonly name: string;
  /** `ERASED` (from @eventfold/core) once forgotten. */
  readonly email: string;
  readonly locale: string | null;
  /**
   * True once the user's personal data was erased (UserForgotten). Orthogonal to the status: a forgotten user may
   * still be deactivated or reactivated, but never given a name or an address again.
   */
  readonly forgotten: boolean;
}

/** What a decision about a user needs to know. A union on `status`, never a bag of nullable fields. */
export type UserState =
  | { readonly status: 'not-registered' }
  | ({ readonly status: 'active' } & RegisteredUser)
  | ({ readonly status: 'deactivated' } & RegisteredUser);

export const initialUserState = (): UserState => ({ status: 'not-registered' });
