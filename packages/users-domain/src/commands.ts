import type { Command } from '@eventfold/core';

export type RegisterUser = Command<
  'RegisterUser',
  { readonly userId: string; readonly name: string; readonly email: string; readonly locale: string | null }
>;
export type ChangeUserName = Command<
  'ChangeUserName',
  { readonly name: string; readonly reason: string | null }
>;
/** Fixes a wrongly recorded name: kept distinct from a change, so that the history says which it was. */
export type CorrectUserName = Command<'CorrectUserName', { readonly name: string; readonly reason: string }>;
export type ChangeUserEmail = Command<'ChangeUserEmail', { readonly email: string }>;
export type DeactivateUser = Command<'DeactivateUser', { readonly reason: string | null }>;
export type ReactivateUser = Command<'ReactivateUser', Record<string, never>>;

export type UserCommand =
  RegisterUser | ChangeUserName | CorrectUserName | ChangeUserEmail | DeactivateUser | ReactivateUser;
export type UserCommandType = UserCommand['type'];

export const userCommandTypes = Object.freeze([
  'RegisterUser',
  'ChangeUserName',
  'CorrectUserName',
  'ChangeUserEmail',
  'DeactivateUser',
  'ReactivateUser',
] as const satisfies readonly UserCommandType[]);
