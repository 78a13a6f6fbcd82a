/**
 * One generation of the projection in SQLite. A batch's commits are written in one
 * transaction, so here — unlike on MongoDB — a crash never leaves part of a batch behind.
 */
import type { Database } from 'better-sqlite3';
import type {
  DocMetadata,
  ProjectionCommit,
  ProjectionState,
  Revision,
  Snapshot,
} from '../model/records.ts';
import type { ProjectionReader } from '../ports/projection-store.ts';
import { generationNames } from './generations.ts';

interface DocFieldsRow {
  doc: string;
  head: number;
  updated_at: number;
  contributors: string;
}

export interface DocFieldsTarget {
  /** The projector's own table of `docs` fields for this generation. */
  table: string;
  /** The schema of the gateway's `docs` table to raise `head` and `updated_at` in, if any. */
  gatewaySchema: string | null;
}

export class SqliteGeneration implements ProjectionReader {
  private readonly names;

  constructor(
    private readonly db: Database,
    readonly generation: number,
    private readonly docFields: DocFieldsTarget,
  ) {
    this.names = generationNames(generation);
  }

  async state(doc: string): Promise<ProjectionState | null> {
    const row = this.db
      .prepare(`SELECT state FROM ${this.names.projections} WHERE doc = ?`)
      .get(doc) as { state: string } | undefined;
    return row ? (JSON.parse(row.state) as ProjectionState) : null;
  }

  async snapshot(doc: string, v: number): Promise<Snapshot | null> {
    const row = this.db
      .prepare(`SELECT doc, v, text, ts FROM ${this.names.snapshots} WHERE doc = ? AND v = ?`)
      .get(doc, v) as Snapshot | undefined;
    return row ?? null;
  }

  async latest(doc: string): Promise<Snapshot | null> {
    const row = this.db
      .prepare(`SELECT doc, v, text, ts FROM ${this.names.latest} WHERE doc = ?`)
      .get(doc) as Snapshot | undefined;
    return row ?? null;
  }

  async revision(doc: string, n: number): Promise<Revision | null> {
    const row = this.db
      .prepare(`SELECT record FROM ${this.names.revisions} WHERE doc = ? AND n = ?`)
      .get(doc, n) as { record: string } | undefined;
    return row ? (JSON.parse(row.record) as Revision) : null;
  }

  async metadata(doc: string): Promise<DocMetadata | null> {
    const row = this.docFieldsRow(doc);
    if (!row) return null;
    return {
      doc,
      head: row.head,
      updatedAt: row.updated_at,
      contributors: JSON.parse(row.contributors) as string[],
    };
  }

  async commit(commits: readonly ProjectionCommit[]): Promise<void> {
    if (commits.length === 0) return;
    this.db
      .transaction(() => {
        for (const commit of commits) this.writeCommit(commit);
      })
      .immediate();
  }

  /** Document ids that have a state in this generation. */
  documents(): string[] {
    const rows = this.db.prepare(`SELECT doc FROM ${this.names.projections}`).all() as Array<{
      doc: string;
    }>;
    return rows.map((row) => row.doc);
  }

  /** Deletes one document's records and resets its `docs` fields, in one transaction. */
  remove(doc: string): void {
    this.db
      .transaction(() => {
        const { projections, snapshots, latest, revisions } = this.names;
        for (const table of [projections, snapshots, latest, revisions]) {
          this.db.prepare(`DELETE FROM ${table} WHERE doc = ?`).run(doc);
        }
        this.db.prepare(`DELETE FROM ${this.docFields.table} WHERE doc = ?`).run(doc);
        const gateway = this.docFields.gatewaySchema;
        if (gateway) this.db.prepare(`UPDATE ${gateway}.docs SET head = 0 WHERE id = ?`).run(doc);
      })
      .immediate();
  }

  private writeCommit(commit: ProjectionCommit): void {
    const insertSnapshot = this.db.prepare(
      `INSERT OR IGNORE INTO ${this.names.snapshots} (doc, v, text, ts) VALUES (?, ?, ?, ?)`,
    );
    for (const { doc, v, text, ts } of commit.snapshots) insertSnapshot.run(doc, v, text, ts);

    const insertRevision = this.db.prepare(
      `INSERT OR IGNORE INTO ${this.names.revisions} (doc, n, record) VALUES (?, ?, ?)`,
    );
    for (const revision of commit.revisions) {
      insertRevision.run(revision.doc, revision.n, JSON.stringify(revision));
    }

    this.raiseDocFields(commit);
    if (commit.latest) {
      const { doc, v, text, ts } = commit.latest;
      this.db
        .prepare(
          `INSERT OR REPLACE INTO ${this.names.latest} (doc, v, text, ts) VALUES (?, ?, ?, ?)`,
        )
        .run(doc, v, text, ts);
    }
    this.db
      .prepare(`INSERT OR REPLACE INTO ${this.names.projections} (doc, state) VALUES (?, ?)`)
      .run(commit.state.doc, JSON.stringify(commit.state));
  }

  /** Only ever raises the fields, like `$max` and `$addToSet` on MongoDB. */
  private raiseDocFields({ state, contributors }: ProjectionCommit): void {
    const row = this.docFieldsRow(state.doc);
    const known = row ? (JSON.parse(row.contributors) as string[]) : [];
    const merged = [...known, ...contributors.filter((user) => !known.includes(user))];
    this.db
      .prepare(
        `INSERT INTO ${this.docFields.table} (doc, head, updated_at, contributors)
         VALUES (?, ?, ?, ?)
         ON CONFLICT (doc) DO UPDATE SET head = max(head, excluded.head),
           updated_at = max(updated_at, excluded.updated_at), contributors = excluded.contributors`,
      )
      .run(state.doc, state.head, state.updatedAt, JSON.stringify(merged));

    const gateway = this.docFields.gatewaySchema;
    if (gateway) {
      this.db
        .prepare(
          `UPDATE ${gateway}.docs SET head = max(head, ?), updated_at = max(updated_at, ?)
           WHERE id = ?`,
        )
        .run(state.head, state.updatedAt, state.doc);
    }
  }

  private docFieldsRow(doc: string): DocFieldsRow | undefined {
    return this.db.prepare(`SELECT * FROM ${this.docFields.table} WHERE doc = ?`).get(doc) as
      DocFieldsRow | undefined;
  }
}
