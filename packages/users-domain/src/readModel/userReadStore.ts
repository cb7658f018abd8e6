import type { ReadStore } from '@eventfold/core';
import type { RecordedUserEvent } from '../events';
import type { UserDocument, UserEventDocument } from './userDocuments';

/** The users read model behind the read store port: MongoDB shards or SQLite. */
export type UserReadStore = ReadStore<RecordedUserEvent, UserDocument, UserEventDocument>;
