export type * from './eventLog';
export type * from './mailer';
export type * from './readStore';
