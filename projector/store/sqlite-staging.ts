/**
 * A SQLite generation being rebuilt. Publishing copies its `docs` fields and moves the
 * pointer in one transaction, so the switch is atomic here.
 */
import type { Database } from 'better-sqlite3';
import type { Logger } from '../../common/logger.ts';
import type { ProjectionCommit } from '../model/records.ts';
import type { StagingProjection } from '../ports/projection-store.ts';
import { generationNames } from './generations.ts';
import { SqliteGeneration } from './sqlite-generation.ts';
import { DOC_FIELDS_TABLE, docFieldsSchema } from './sqlite-schema.ts';

export interface StagingAccess {
  gatewaySchema: string | null;
  livePointer(): number;
  movePointer(live: number): void;
  logger: Logger;
}

export class SqliteStaging implements StagingProjection {
  private readonly records: SqliteGeneration;
  private readonly stagedDocs: string;

  constructor(
    private readonly db: Database,
    readonly generation: number,
    private readonly access: StagingAccess,
  ) {
    this.stagedDocs = generationNames(generation).stagedDocs;
    db.exec(docFieldsSchema(this.stagedDocs));
    this.records = new SqliteGeneration(db, generation, {
      table: this.stagedDocs,
      gatewaySchema: null,
    });
  }

  state(doc: string) {
    return this.records.state(doc);
  }

  snapshot(doc: string, v: number) {
    return this.records.snapshot(doc, v);
  }

  latest(doc: string) {
    return this.records.latest(doc);
  }

  revision(doc: string, n: number) {
    return this.records.revision(doc, n);
  }

  metadata(doc: string) {
    return this.records.metadata(doc);
  }

  commit(commits: readonly ProjectionCommit[]): Promise<void> {
    return this.records.commit(commits);
  }

  /** See the MongoDB adapter for why `head` is set exactly and `updated_at` only raised. */
  async publish(): Promise<number> {
    const before = this.access.livePointer();
    this.db
      .transaction(() => {
        this.db.exec(`
          INSERT INTO ${DOC_FIELDS_TABLE} (doc, head, updated_at, contributors)
            SELECT doc, head, updated_at, contributors FROM ${this.stagedDocs} WHERE true
          ON CONFLICT (doc) DO UPDATE SET head = excluded.head,
            updated_at = max(updated_at, excluded.updated_at),
            contributors = excluded.contributors;
        `);
        this.copyToGateway();
        this.access.movePointer(this.generation);
        this.db.exec(`DROP TABLE ${this.stagedDocs}`);
      })
      .immediate();
    this.access.logger.info(
      { from: before, to: this.generation },
      'projection generation published',
    );
    return before;
  }

  private copyToGateway(): void {
    const gateway = this.access.gatewaySchema;
    if (!gateway) return;
    this.db.exec(`
      UPDATE ${gateway}.docs SET
        head = (SELECT s.head FROM ${this.stagedDocs} s WHERE s.doc = docs.id),
        updated_at = max(updated_at, (SELECT s.updated_at FROM ${this.stagedDocs} s WHERE s.doc = docs.id))
      WHERE id IN (SELECT doc FROM ${this.stagedDocs});
    `);
  }
}
