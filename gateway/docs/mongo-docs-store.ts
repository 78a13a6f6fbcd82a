/**
 * Documents in MongoDB, or any server that speaks its protocol. Every read and write names a
 * record by its `_id` alone: FerretDB on SQLite pushes nothing else down to its storage and
 * scans the whole collection for any other filter. Listing a user's documents therefore goes
 * through a per-user index record in `user_docs`, `{_id: user, docs: [id, …]}`.
 *
 * Without multi-document transactions, the index and the documents are written in an order
 * that leaves the index a superset of the truth: an id is added to a user's index before the
 * role is granted, and removed only after the role is taken away. Readers keep only the
 * documents whose `acl` really names the user, so a crash between the two writes leaves at
 * most a stale index entry that costs one lookup.
 */
import {
  MongoClient,
  MongoServerError,
  type Collection,
  type Db,
  type UpdateFilter,
} from 'mongodb';
import { DocExistsError, type DocMeta, type DocsStore, type NewDoc } from './docs-store.ts';
import type { Role } from './roles.ts';

interface DocRecord {
  _id: string;
  title: string;
  owner: string;
  acl: Record<string, Role>;
  head: number;
  createdAt: number;
  updatedAt: number;
}

interface UserDocsRecord {
  _id: string;
  docs: string[];
}

export interface MongoDocsStoreOptions {
  url: string;
  dbName: string;
}

const DUPLICATE_KEY = 11000;

/** How many listed documents are fetched at once when a user lists their documents. */
const LIST_CONCURRENCY = 32;

export class MongoDocsStore implements DocsStore {
  private readonly client: MongoClient;
  private readonly db: Db;
  private readonly docs: Collection<DocRecord>;
  private readonly userDocs: Collection<UserDocsRecord>;

  constructor(options: MongoDocsStoreOptions) {
    this.client = new MongoClient(options.url);
    this.db = this.client.db(options.dbName);
    this.docs = this.db.collection<DocRecord>('docs');
    this.userDocs = this.db.collection<UserDocsRecord>('user_docs');
  }

  async init(): Promise<void> {
    await this.client.connect();
    await this.db.command({ ping: 1 });
  }

  async create(doc: NewDoc): Promise<DocMeta> {
    const now = Date.now();
    const record: DocRecord = {
      _id: doc.id,
      title: doc.title,
      owner: doc.owner,
      acl: { [encodeAclKey(doc.owner)]: 'owner' },
      head: 0,
      createdAt: now,
      updatedAt: now,
    };
    await this.addToIndex(doc.owner, doc.id);
    try {
      await this.docs.insertOne(record);
    } catch (error) {
      if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) {
        throw new DocExistsError(doc.id);
      }
      throw error;
    }
    return toMeta(record);
  }

  async get(id: string): Promise<DocMeta | null> {
    const record = await this.docs.findOne({ _id: id });
    return record ? toMeta(record) : null;
  }

  async setRole(id: string, user: string, role: Role | null): Promise<DocMeta | null> {
    const path = `acl.${encodeAclKey(user)}`;
    if (role !== null) await this.addToIndex(user, id);

    const update: UpdateFilter<DocRecord> =
      role === null
        ? { $unset: { [path]: '' }, $set: { updatedAt: Date.now() } }
        : { $set: { [path]: role, updatedAt: Date.now() } };
    const record = await this.docs.findOneAndUpdate({ _id: id }, update, {
      returnDocument: 'after',
    });

    if (role === null) await this.userDocs.updateOne({ _id: user }, { $pull: { docs: id } });
    return record ? toMeta(record) : null;
  }

  async listForUser(user: string, limit: number): Promise<DocMeta[]> {
    const index = await this.userDocs.findOne({ _id: user });
    const ids = index?.docs ?? [];
    const found: DocMeta[] = [];
    for (let i = 0; i < ids.length; i += LIST_CONCURRENCY) {
      const batch = await Promise.all(ids.slice(i, i + LIST_CONCURRENCY).map((id) => this.get(id)));
      for (const meta of batch) if (meta && meta.acl[user]) found.push(meta);
    }
    return found.sort((a, b) => b.updatedAt - a.updatedAt).slice(0, limit);
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private async addToIndex(user: string, id: string): Promise<void> {
    await this.userDocs.updateOne({ _id: user }, { $addToSet: { docs: id } }, { upsert: true });
  }
}

/**
 * User ids become field names inside `acl`. MongoDB-compatible servers refuse `.` in field
 * names (FerretDB anywhere, MongoDB in update paths) and treat a leading `$` as an operator,
 * so those characters, and `%` itself, are percent-encoded.
 */
export function encodeAclKey(user: string): string {
  return user.replace(/[%.$]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function decodeAclKey(key: string): string {
  return key.replace(/%(25|2E|24)/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function toMeta(record: DocRecord): DocMeta {
  const acl: Record<string, Role> = {};
  for (const [key, role] of Object.entries(record.acl ?? {})) acl[decodeAclKey(key)] = role;
  return {
    id: record._id,
    title: record.title,
    owner: record.owner,
    acl,
    head: record.head ?? 0,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}
