import type { Command } from '@eventfold/core';

export type RegisterUser = Command<
  'RegisterUser',
  { readonly userId: string; readonly name: string; readonly email: string; readonly locale: string | null }
>;
/**
 * Brings in a user that a legacy system holds (issue 20, docs/decisions/0020-importing-a-crud-table.md): the row's
 * values and where they come from. `userId` follows from the source and the legacy id (a UUIDv5), so a user can be
 * imported once; a row the legacy system soft-deleted comes in deactivated.
 */
export type ImportUser = Command<
  'ImportUser',
  {
    readonly userId: string;
    readonly name: string;
    readonly email: string;
    readonly deactivated: boolean;
    readonly source: ImportSource;
  }
>;
/** Provenance of an imported row: its table, its primary key there, and its `updated_at` (epoch ms) when read. */
export interface ImportSource {
  readonly table: string;
  readonly legacyId: string;
  readonly updatedAt: number | null;
}
export type ChangeUserName = Command<
  'ChangeUserName',
  { readonly name: string; readonly reason: string | null }
>;
/** Fixes a wrongly recorded name: kept distinct from a change, so that the history says which it was. */
export type CorrectUserName = Command<'CorrectUserName', { readonly name: string; readonly reason: string }>;
export type ChangeUserEmail = Command<'ChangeUserEmail', { readonly email: string }>;
export type DeactivateUser = Command<'DeactivateUser', { readonly reason: string | null }>;
export type ReactivateUser = Command<'ReactivateUser', Record<string, never>>;
/**
 * Erases the user's personal data (crypto-shredding: the data key is deleted after the event is written).
 * `reason` is an operator's note and not personal: never put a name or an address in it.
 */
export type ForgetUser = Command<'ForgetUser', { readonly reason: string | null }>;

export type UserCommand =
  | RegisterUser
  | ImportUser
  | ChangeUserName
  | CorrectUserName
  | ChangeUserEmail
  | DeactivateUser
  | ReactivateUser
  | ForgetUser;
export type UserCommandType = UserCommand['type'];

export const userCommandTypes = Object.freeze([
  'RegisterUser',
  'ImportUser',
  'ChangeUserName',
  'CorrectUserName',
  'ChangeUserEmail',
  'DeactivateUser',
  'ReactivateUser',
  'ForgetUser',
] as const satisfies readonly UserCommandType[]);
