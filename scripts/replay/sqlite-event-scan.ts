/**
 * The embedded event store's `events` table, read in key order — document, then version —
 * through its own read-only connection.
 */
import Database from 'better-sqlite3';
import type { SequencedOp, TextOp } from '../../common/protocol.ts';
import type { EventScan } from './event-scan.ts';

interface EventRow {
  doc: string;
  v: number;
  src: string;
  seq: number;
  op: string;
  user: string;
  ts: number;
}

const BATCH = 2_000;

export class SqliteEventScan implements EventScan {
  constructor(private readonly file: string) {}

  async *batches(doc?: string): AsyncIterable<SequencedOp[]> {
    const db = new Database(this.file, { readonly: true, fileMustExist: true });
    try {
      const columns = 'doc, v, src, seq, op, user, ts';
      const rows =
        doc === undefined
          ? db.prepare(`SELECT ${columns} FROM events ORDER BY doc, v`).iterate()
          : db.prepare(`SELECT ${columns} FROM events WHERE doc = ? ORDER BY v`).iterate(doc);
      let batch: SequencedOp[] = [];
      for (const row of rows as Iterable<EventRow>) {
        batch.push({ ...row, op: JSON.parse(row.op) as TextOp });
        if (batch.length < BATCH) continue;
        yield batch;
        batch = [];
      }
      if (batch.length > 0) yield batch;
    } finally {
      db.close();
    }
  }
}
