export { openDatabase, type SqliteDatabase } from './database/openDatabase';
export { DocumentTable } from './documents/documentTable';
export { FencedError } from './log/errors';
export { SqliteEventLog } from './log/sqliteEventLog';
export { fileMailer, messageIdOf } from './mail/fileMailer';
export { readModelTables, SqliteReadStore } from './readStore/sqliteReadStore';
export { sqliteSchemaRegistry } from './registry/sqliteSchemaRegistry';
export { SqliteKeyRecords } from './keys/sqliteKeyRecords';
