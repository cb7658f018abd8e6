import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EnvelopeKeyStore } from '@eventfold/crypto';
import { keyStoreContract } from '@eventfold/crypto/testing';
import { eventLogContract, mailerContract, readStoreContract } from '@eventfold/testing';
import { openDatabase } from './database/openDatabase';
import { SqliteKeyRecords } from './keys/sqliteKeyRecords';
import { SqliteEventLog } from './log/sqliteEventLog';
import { fileMailer } from './mail/fileMailer';
import { SqliteReadStore } from './readStore/sqliteReadStore';

// The same contract suites as Kafka, MongoDB and SMTP (their *.int.spec.ts), on SQLite files in a temporary folder.
const temporaryDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'eventfold-contract-'));

eventLogContract('SQLite', async () => {
  const dir = temporaryDir();
  const db = openDatabase(path.join(dir, 'log.sqlite'));
  const log = new SqliteEventLog(db);
  return {
    log,
    close: async () => {
      await log.close();
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

readStoreContract('SQLite', async () => {
  const dir = temporaryDir();
  const db = openDatabase(path.join(dir, 'read.sqlite'));
  return {
    store: new SqliteReadStore(db),
    close: async () => {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

mailerContract('files', async () => {
  const dir = temporaryDir();
  const mailer = fileMailer(path.join(dir, 'mail'));
  return {
    mailer,
    delivered: async (messageId) =>
      fs
        .readdirSync(path.join(dir, 'mail'))
        .filter((name) => name.endsWith('.eml'))
        .filter((name) => fs.readFileSync(path.join(dir, 'mail', name), 'utf8').includes(`<${messageId}>`))
        .length,
    close: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
});

keyStoreContract('SQLite', async () => {
  const dir = temporaryDir();
  const file = path.join(dir, 'keys.sqlite');
  // Each `open` is its own connection to the file, as separate processes would have.
  const connections = [openDatabase(file)];
  return {
    open: async (master) => {
      const db = openDatabase(file);
      connections.push(db);
      return EnvelopeKeyStore.open(new SqliteKeyRecords(db), master);
    },
    loseKeyCheck: async () => new SqliteKeyRecords(connections[0]!).loseKeyCheck(),
    close: async () => {
      for (const db of connections) db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});
