/**
 * The embedded event store: one SQLite file on better-sqlite3, for the all-in-one mode.
 *
 * `events` is keyed by `(doc, v)` with a unique index on `(doc, src, seq)`, the same two guards
 * as the MongoDB adapter. SQLite uses both indexes for queries, so every read is one statement.
 * better-sqlite3 is synchronous: each call blocks the event loop for its few milliseconds,
 * which an embedded single-process server accepts in exchange for no server to run.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database, { type Database as SqliteDatabase } from 'better-sqlite3';
import { createLogger, type Logger } from '../../common/logger.ts';
import type { SequencedOp, TextOp } from '../../common/protocol.ts';
import type { AppendFailure, AppendResult, EventStore } from '../ports/event-store.ts';
import { classifyRefusal, splitByDocument } from './append-rules.ts';

export interface SqliteEventStoreOptions {
  /** The file inside the directory; `events.sqlite` by default. */
  fileName?: string;
  logger?: Logger;
}

interface EventRow {
  doc: string;
  v: number;
  src: string;
  seq: number;
  op: string;
  user: string;
  ts: number;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    doc TEXT NOT NULL,
    v INTEGER NOT NULL,
    src TEXT NOT NULL,
    seq INTEGER NOT NULL,
    op TEXT NOT NULL,
    user TEXT NOT NULL,
    ts INTEGER NOT NULL,
    PRIMARY KEY (doc, v)
  ) WITHOUT ROWID;
  CREATE UNIQUE INDEX IF NOT EXISTS events_by_source ON events (doc, src, seq);
`;

const COLUMNS = 'doc, v, src, seq, op, user, ts';

function prepareStatements(db: SqliteDatabase) {
  return {
    insert: db.prepare<[EventRow]>(
      `INSERT INTO events (${COLUMNS}) VALUES (@doc, @v, @src, @seq, @op, @user, @ts)`,
    ),
    atVersion: db.prepare<[string, number], EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE doc = ? AND v = ?`,
    ),
    head: db.prepare<[string], { head: number | null }>(
      'SELECT max(v) AS head FROM events WHERE doc = ?',
    ),
    range: db.prepare<[string, number, number], EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE doc = ? AND v > ? AND v <= ? ORDER BY v`,
    ),
    bySource: db.prepare<[string, string, number], EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE doc = ? AND src = ? AND seq = ?`,
    ),
    lastSeq: db.prepare<[string, string], { seq: number | null }>(
      'SELECT max(seq) AS seq FROM events WHERE doc = ? AND src = ?',
    ),
  };
}

type Statements = ReturnType<typeof prepareStatements>;

export class SqliteEventStore implements EventStore {
  private db: SqliteDatabase | null = null;
  private statements: Statements | null = null;
  private readonly logger: Logger;

  /**
   * Names the directory that holds the database file; nothing is created until `init()`.
   *
   * @example
   * const store = new SqliteEventStore(path.join(config.DATA_DIR, 'store'));
   * await store.init();
   */
  constructor(
    private readonly directory: string,
    private readonly options: SqliteEventStoreOptions = {},
  ) {
    this.logger = options.logger ?? createLogger('event-store');
  }

  /**
   * WAL lets readers proceed while a write commits, and `synchronous = FULL` syncs the log on
   * every commit: an append that resolved survives a power cut, not only a process crash,
   * because the sequencer acknowledges operations as soon as their append resolves.
   * The busy timeout makes a second store on the same file wait for the lock instead of failing.
   */
  async init(): Promise<void> {
    if (this.db) return;
    fs.mkdirSync(this.directory, { recursive: true });
    const file = path.join(this.directory, this.options.fileName ?? 'events.sqlite');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    db.exec(SCHEMA);
    this.db = db;
    this.statements = prepareStatements(db);
    this.logger.info({ file }, 'event store ready');
  }

  /**
   * One immediate transaction for the whole batch: one sync to disk per append, and a failure
   * that is not a refusal (a full disk) writes nothing at all. A refused INSERT undoes only
   * itself, so the events before it stay in the transaction, and the loop stops that document
   * there while the other documents go on.
   */
  async append(events: readonly SequencedOp[]): Promise<AppendResult> {
    const { db } = this.open();
    const byDoc = splitByDocument(events);
    const written = new Set<SequencedOp>();
    const failures: AppendFailure[] = [];
    db.transaction(() => {
      for (const batch of byDoc.values()) {
        const failure = this.appendDocument(batch, written);
        if (failure) failures.push(failure);
      }
    }).immediate();
    return { appended: events.filter((event) => written.has(event)), failures };
  }

  async head(doc: string): Promise<number> {
    return this.open().statements.head.get(doc)?.head ?? 0;
  }

  async range(doc: string, from: number, to?: number): Promise<SequencedOp[]> {
    const rows = this.open().statements.range.all(doc, from, to ?? Number.MAX_SAFE_INTEGER);
    return rows.map(fromRow);
  }

  async findBySource(doc: string, src: string, seq: number): Promise<SequencedOp | null> {
    const row = this.open().statements.bySource.get(doc, src, seq);
    return row ? fromRow(row) : null;
  }

  async lastSeq(doc: string, src: string): Promise<number> {
    return this.open().statements.lastSeq.get(doc, src)?.seq ?? 0;
  }

  async close(): Promise<void> {
    this.db?.close();
    this.db = null;
    this.statements = null;
  }

  private appendDocument(batch: SequencedOp[], written: Set<SequencedOp>): AppendFailure | null {
    const { statements } = this.open();
    for (const event of batch) {
      try {
        statements.insert.run(toRow(event));
        written.add(event);
      } catch (error) {
        if (!isRefusal(error)) throw error;
        const stored = statements.atVersion.get(event.doc, event.v) ?? null;
        return { event, reason: classifyRefusal(event, stored) };
      }
    }
    return null;
  }

  private open(): { db: SqliteDatabase; statements: Statements } {
    if (!this.db || !this.statements) {
      throw new Error('the event store is not open: call init() first (or it was closed)');
    }
    return { db: this.db, statements: this.statements };
  }
}

/** A unique or primary key refused the row; SQLite reports both as constraint violations. */
function isRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

function toRow(event: SequencedOp): EventRow {
  const { doc, v, src, seq, op, user, ts } = event;
  return { doc, v, src, seq, op: JSON.stringify(op), user, ts };
}

function fromRow(row: EventRow): SequencedOp {
  return { ...row, op: JSON.parse(row.op) as TextOp };
}
