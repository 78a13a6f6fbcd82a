/**
 * Documents in SQLite, for the embedded single-process mode. Roles live in their own table
 * with an index by user, so listing a user's documents is one indexed query.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DocExistsError, type DocMeta, type DocsStore, type NewDoc } from './docs-store.ts';
import type { Role } from './roles.ts';

interface DocRow {
  id: string;
  title: string;
  owner: string;
  head: number;
  created_at: number;
  updated_at: number;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS docs (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    owner TEXT NOT NULL,
    head INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS doc_acl (
    doc TEXT NOT NULL REFERENCES docs(id),
    user TEXT NOT NULL,
    role TEXT NOT NULL,
    PRIMARY KEY (doc, user)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS doc_acl_by_user ON doc_acl(user, doc);
`;

export class SqliteDocsStore implements DocsStore {
  private db: Database.Database | null = null;

  /** @param file the database file, or `:memory:` */
  constructor(private readonly file: string) {}

  async init(): Promise<void> {
    if (this.db) return;
    if (this.file !== ':memory:') fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const db = new Database(this.file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(SCHEMA);
    this.db = db;
  }

  async create(doc: NewDoc): Promise<DocMeta> {
    const db = this.open();
    const now = Date.now();
    const insert = db.transaction(() => {
      const taken = db.prepare('SELECT 1 FROM docs WHERE id = ?').get(doc.id);
      if (taken) throw new DocExistsError(doc.id);
      db.prepare(
        'INSERT INTO docs (id, title, owner, head, created_at, updated_at) VALUES (?, ?, ?, 0, ?, ?)',
      ).run(doc.id, doc.title, doc.owner, now, now);
      db.prepare('INSERT INTO doc_acl (doc, user, role) VALUES (?, ?, ?)').run(
        doc.id,
        doc.owner,
        'owner',
      );
    });
    insert();
    return { ...doc, acl: { [doc.owner]: 'owner' }, head: 0, createdAt: now, updatedAt: now };
  }

  async get(id: string): Promise<DocMeta | null> {
    const row = this.open().prepare('SELECT * FROM docs WHERE id = ?').get(id) as
      DocRow | undefined;
    return row ? this.toMeta(row) : null;
  }

  async setRole(id: string, user: string, role: Role | null): Promise<DocMeta | null> {
    const db = this.open();
    const change = db.transaction(() => {
      const updated = db
        .prepare('UPDATE docs SET updated_at = ? WHERE id = ?')
        .run(Date.now(), id).changes;
      if (updated === 0) return false;
      if (role === null) {
        db.prepare('DELETE FROM doc_acl WHERE doc = ? AND user = ?').run(id, user);
      } else {
        db.prepare(
          'INSERT INTO doc_acl (doc, user, role) VALUES (?, ?, ?) ' +
            'ON CONFLICT (doc, user) DO UPDATE SET role = excluded.role',
        ).run(id, user, role);
      }
      return true;
    });
    return change() ? this.get(id) : null;
  }

  async listForUser(user: string, limit: number): Promise<DocMeta[]> {
    const rows = this.open()
      .prepare(
        'SELECT docs.* FROM doc_acl JOIN docs ON docs.id = doc_acl.doc ' +
          'WHERE doc_acl.user = ? ORDER BY docs.updated_at DESC LIMIT ?',
      )
      .all(user, limit) as DocRow[];
    return rows.map((row) => this.toMeta(row));
  }

  async close(): Promise<void> {
    this.db?.close();
    this.db = null;
  }

  private open(): Database.Database {
    if (!this.db) throw new Error('SqliteDocsStore used before init() or after close()');
    return this.db;
  }

  private toMeta(row: DocRow): DocMeta {
    const entries = this.open()
      .prepare('SELECT user, role FROM doc_acl WHERE doc = ?')
      .all(row.id) as Array<{ user: string; role: Role }>;
    return {
      id: row.id,
      title: row.title,
      owner: row.owner,
      acl: Object.fromEntries(entries.map((e) => [e.user, e.role])),
      head: row.head,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }
}
