/** What a decision about a user needs to know. A union on `status`, never a bag of nullable fields. */
export type UserState =
  | { readonly status: 'not-registered' }
  | {
      readonly status: 'active';
      readonly userId: string;
      readonly name: string;
      readonly email: string;
      readonly locale: string | null;
    }
  | {
      readonly status: 'deactivated';
      readonly userId: string;
      readonly name: string;
      readonly email: string;
      readonly locale: string | null;
    };

export const initialUserState = (): UserState => ({ status: 'not-registered' });
