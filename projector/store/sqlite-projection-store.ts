/**
 * The embedded projection store: one SQLite file on better-sqlite3, for the all-in-one mode.
 * Generations and the pointer to the live one work as on MongoDB (see `generations.ts`).
 *
 * The projector's `docs` fields live in `doc_fields`. When the gateway's documents database
 * is named (`docsFile`) or its `docs` table is in the same file, `head` and `updated_at` are
 * raised there too, so the gateway's listings stay current without reading this store.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database, { type Database as SqliteDatabase } from 'better-sqlite3';
import { createLogger, type Logger } from '../../common/logger.ts';
import type { ProjectionCommit } from '../model/records.ts';
import {
  GenerationChangedError,
  type CommitOptions,
  type ProjectionStore,
  type StagingProjection,
} from '../ports/projection-store.ts';
import {
  INITIAL_POINTER,
  nextGeneration,
  resumableStaging,
  type GenerationPointer,
} from './generations.ts';
import { SqliteGeneration } from './sqlite-generation.ts';
import {
  DOC_FIELDS_TABLE,
  META_TABLE,
  createCommonTables,
  createGenerationTables,
  dropGenerationTables,
  findGatewayDocs,
} from './sqlite-schema.ts';
import { SqliteStaging } from './sqlite-staging.ts';

export interface SqliteProjectionStoreOptions {
  /** The gateway's documents database file, attached so its `docs` rows can be raised. */
  docsFile?: string;
  logger?: Logger;
}

const POINTER_KEY = 'generation';

export class SqliteProjectionStore implements ProjectionStore {
  private db: SqliteDatabase | null = null;
  private gatewaySchema: string | null = null;
  private readonly logger: Logger;

  /**
   * Names the database file (or `:memory:`); nothing is opened until `init()`.
   *
   * @example
   * const store = new SqliteProjectionStore(path.join(config.DATA_DIR, 'projections.sqlite'));
   * await store.init();
   */
  constructor(
    private readonly file: string,
    private readonly options: SqliteProjectionStoreOptions = {},
  ) {
    this.logger = options.logger ?? createLogger('projection-store');
  }

  /** Snapshots need not survive a power cut — they are rebuilt from events — so NORMAL sync. */
  async init(): Promise<void> {
    if (this.db) return;
    if (this.file !== ':memory:') fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const db = new Database(this.file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    if (this.options.docsFile)
      db.prepare('ATTACH DATABASE ? AS gateway').run(this.options.docsFile);
    createCommonTables(db);
    this.db = db;
    createGenerationTables(db, this.pointer().live);
    this.gatewaySchema = findGatewayDocs(db);
    this.logger.info(
      { file: this.file, gatewayDocs: this.gatewaySchema },
      'projection store ready',
    );
  }

  async refreshGeneration(): Promise<number> {
    return this.pointer().live;
  }

  state(doc: string) {
    return this.live().state(doc);
  }

  snapshot(doc: string, v: number) {
    return this.live().snapshot(doc, v);
  }

  latest(doc: string) {
    return this.live().latest(doc);
  }

  revision(doc: string, n: number) {
    return this.live().revision(doc, n);
  }

  metadata(doc: string) {
    return this.live().metadata(doc);
  }

  async commit(commits: readonly ProjectionCommit[], options: CommitOptions = {}): Promise<void> {
    const { live } = this.pointer();
    if (options.generation !== undefined && options.generation !== live) {
      throw new GenerationChangedError(options.generation, live);
    }
    await this.live().commit(commits);
  }

  async documents(): Promise<string[]> {
    const rows = this.open().prepare(`SELECT doc FROM ${DOC_FIELDS_TABLE}`).all() as Array<{
      doc: string;
    }>;
    const ids = new Set([...rows.map((row) => row.doc), ...this.live().documents()]);
    return [...ids].sort();
  }

  async openStaging(
    policyKey: string,
    options: { fresh?: boolean } = {},
  ): Promise<StagingProjection> {
    const pointer = this.pointer();
    const resumed = resumableStaging(pointer, policyKey, options.fresh ?? false);
    if (resumed !== null) return this.staging(resumed);

    if (pointer.staging !== null) dropGenerationTables(this.open(), pointer.staging);
    const generation = nextGeneration(pointer);
    this.writePointer({ ...pointer, staging: generation, stagingPolicy: policyKey });
    this.logger.info({ generation, policy: policyKey }, 'staging generation opened');
    return this.staging(generation);
  }

  async dropGeneration(generation: number): Promise<void> {
    if (generation === this.pointer().live) {
      throw new Error(`generation ${generation} is live; not dropping it`);
    }
    dropGenerationTables(this.open(), generation);
  }

  async removeDocument(doc: string): Promise<void> {
    this.live().remove(doc);
  }

  async close(): Promise<void> {
    this.db?.close();
    this.db = null;
  }

  private live(): SqliteGeneration {
    return new SqliteGeneration(this.open(), this.pointer().live, {
      table: DOC_FIELDS_TABLE,
      gatewaySchema: this.gatewaySchema,
    });
  }

  private staging(generation: number): SqliteStaging {
    const db = this.open();
    createGenerationTables(db, generation);
    return new SqliteStaging(db, generation, {
      gatewaySchema: this.gatewaySchema,
      movePointer: (live) => this.writePointer({ live, staging: null, stagingPolicy: null }),
      livePointer: () => this.pointer().live,
      logger: this.logger,
    });
  }

  private pointer(): GenerationPointer {
    const row = this.open()
      .prepare(`SELECT value FROM ${META_TABLE} WHERE key = ?`)
      .get(POINTER_KEY) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as GenerationPointer) : INITIAL_POINTER;
  }

  private writePointer(pointer: GenerationPointer): void {
    this.open()
      .prepare(`INSERT OR REPLACE INTO ${META_TABLE} (key, value) VALUES (?, ?)`)
      .run(POINTER_KEY, JSON.stringify(pointer));
  }

  private open(): SqliteDatabase {
    if (!this.db) throw new Error('the projection store is not open: call init() first');
    return this.db;
  }
}
