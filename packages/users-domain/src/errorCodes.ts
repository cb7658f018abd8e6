/** Stable codes of the users domain's errors: clients and dashboards match on these, never on messages. */
export const UserErrorCode = Object.freeze({
  InvalidUserId: 'INVALID_USER_ID',
  InvalidName: 'INVALID_NAME',
  InvalidEmail: 'INVALID_EMAIL',
  InvalidReason: 'INVALID_REASON',
  InvalidLocale: 'INVALID_LOCALE',
  AlreadyRegistered: 'USER_ALREADY_REGISTERED',
  NotFound: 'USER_NOT_FOUND',
  Deactivated: 'USER_DEACTIVATED',
  AlreadyDeactivated: 'USER_ALREADY_DEACTIVATED',
  AlreadyActive: 'USER_ALREADY_ACTIVE',
  NameUnchanged: 'NAME_UNCHANGED',
  EmailUnchanged: 'EMAIL_UNCHANGED',
  Forgotten: 'USER_FORGOTTEN',
} as const);
