/**
 * The projection store on MongoDB or any server that speaks its wire protocol (FerretDB
 * locally). Each generation's records live in their own collections (see `generations.ts`),
 * and `projection_meta` holds the pointer to the live one. FerretDB 1.24 cannot rename a
 * collection over an existing one (`dropTarget`), which is why a rebuild moves a pointer
 * instead of renaming collections into place.
 */
import { MongoClient, type Collection, type Db } from 'mongodb';
import { loadConfig } from '../../common/config.ts';
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
  generationNames,
  nextGeneration,
  resumableStaging,
  type GenerationPointer,
} from './generations.ts';
import { MongoGeneration, dropIfExists } from './mongo-generation.ts';
import {
  DOCS,
  META,
  POINTER_ID,
  revisionId,
  snapshotId,
  type DocFieldsRecord,
  type PointerRecord,
} from './mongo-records.ts';
import { MongoStaging } from './mongo-staging.ts';

export interface MongoProjectionStoreOptions {
  /** How long readers trust the generation pointer before reading it again; 2 s by default. */
  generationTtlMs?: number;
  /** A client the store closes on `close()`, when the store was the one to connect it. */
  client?: MongoClient;
  logger?: Logger;
}

export class MongoProjectionStore implements ProjectionStore {
  private readonly docs: Collection<DocFieldsRecord>;
  private readonly meta: Collection<PointerRecord>;
  private readonly logger: Logger;
  private live: MongoGeneration;
  private checkedAt = 0;

  /**
   * Takes a database handle and touches nothing until `init()`.
   *
   * @example
   * const store = new MongoProjectionStore(client.db('collab'));
   * await store.init();
   * const state = await store.state('doc-1');
   */
  constructor(
    private readonly db: Db,
    private readonly options: MongoProjectionStoreOptions = {},
  ) {
    this.docs = db.collection(DOCS);
    this.meta = db.collection(META);
    this.live = new MongoGeneration(db, 0, this.docs);
    this.logger = options.logger ?? createLogger('projection-store');
  }

  async init(): Promise<void> {
    await this.refreshGeneration();
  }

  async refreshGeneration(): Promise<number> {
    const { live } = await this.pointer();
    if (live !== this.live.generation) {
      this.logger.info({ from: this.live.generation, to: live }, 'projection generation changed');
      this.live = new MongoGeneration(this.db, live, this.docs);
    }
    this.checkedAt = Date.now();
    return live;
  }

  async state(doc: string) {
    return (await this.current()).state(doc);
  }

  async snapshot(doc: string, v: number) {
    return (await this.current()).snapshot(doc, v);
  }

  async latest(doc: string) {
    return (await this.current()).latest(doc);
  }

  async revision(doc: string, n: number) {
    return (await this.current()).revision(doc, n);
  }

  async metadata(doc: string) {
    return (await this.current()).metadata(doc);
  }

  /**
   * A commit computed against an older generation is refused rather than written into
   * collections nobody reads any more (the projector then reloads from the live one). The
   * pointer can still move between this check and the writes; the rebuild covers that window
   * by projecting every document up to its head once more after it publishes.
   */
  async commit(commits: readonly ProjectionCommit[], options: CommitOptions = {}): Promise<void> {
    if (options.generation !== undefined) {
      const live = await this.refreshGeneration();
      if (live !== options.generation) throw new GenerationChangedError(options.generation, live);
    }
    await (await this.current()).commit(commits);
  }

  async documents(): Promise<string[]> {
    const live = await this.current();
    const ids = new Set<string>();
    for await (const { _id } of this.docs.find({}, { projection: { _id: 1 } })) ids.add(_id);
    for await (const { _id } of live.states.find({}, { projection: { _id: 1 } })) ids.add(_id);
    return [...ids].sort();
  }

  async openStaging(
    policyKey: string,
    options: { fresh?: boolean } = {},
  ): Promise<StagingProjection> {
    const pointer = await this.pointer();
    const resumed = resumableStaging(pointer, policyKey, options.fresh ?? false);
    if (resumed !== null) return this.staging(resumed);

    if (pointer.staging !== null) await this.dropGeneration(pointer.staging);
    const generation = nextGeneration(pointer);
    await this.writePointer({ ...pointer, staging: generation, stagingPolicy: policyKey });
    this.logger.info({ generation, policy: policyKey }, 'staging generation opened');
    return this.staging(generation);
  }

  async dropGeneration(generation: number): Promise<void> {
    const { live } = await this.pointer();
    if (generation === live) throw new Error(`generation ${generation} is live; not dropping it`);
    await new MongoGeneration(this.db, generation, this.docs).drop();
    await dropIfExists(this.db, generationNames(generation).stagedDocs);
  }

  async removeDocument(doc: string): Promise<void> {
    const live = await this.current();
    const state = await live.state(doc);
    if (state) {
      // The state goes first: from then on nobody is sent to the records deleted after it.
      await live.states.deleteOne({ _id: doc });
      const snapshots = state.snapshots.map((v) => snapshotId(doc, v));
      const revisions = Array.from({ length: state.closedRevisions }, (_, i) =>
        revisionId(doc, i + 1),
      );
      await Promise.all([
        live.latestTexts.deleteOne({ _id: doc }),
        ...snapshots.map((_id) => live.snapshots.deleteOne({ _id })),
        ...revisions.map((_id) => live.revisions.deleteOne({ _id })),
      ]);
    }
    await this.docs.updateOne({ _id: doc }, { $set: { head: 0, contributors: [] } });
  }

  async close(): Promise<void> {
    await this.options.client?.close();
  }

  private async current(): Promise<MongoGeneration> {
    const ttl = this.options.generationTtlMs ?? 2_000;
    if (Date.now() - this.checkedAt > ttl) await this.refreshGeneration();
    return this.live;
  }

  private staging(generation: number): MongoStaging {
    return new MongoStaging(this.db, generation, {
      readPointer: () => this.pointer(),
      writePointer: (pointer) => this.writePointer(pointer),
      logger: this.logger,
    });
  }

  private async pointer(): Promise<GenerationPointer> {
    const record = await this.meta.findOne({ _id: POINTER_ID });
    if (!record) return INITIAL_POINTER;
    const { live, staging, stagingPolicy } = record;
    return { live, staging, stagingPolicy };
  }

  private async writePointer(pointer: GenerationPointer): Promise<void> {
    await this.meta.replaceOne({ _id: POINTER_ID }, pointer, { upsert: true });
  }
}

/**
 * Connects to `MONGO_URL`, opens `MONGO_DB` and initialises the store, which owns the
 * connection from then on and closes it with `close()`.
 *
 * @example
 * const store = await connectMongoProjectionStore();
 */
export async function connectMongoProjectionStore(
  config: { MONGO_URL: string; MONGO_DB: string } = loadConfig(),
  options: Omit<MongoProjectionStoreOptions, 'client'> = {},
): Promise<MongoProjectionStore> {
  const client = await MongoClient.connect(config.MONGO_URL);
  const store = new MongoProjectionStore(client.db(config.MONGO_DB), { ...options, client });
  try {
    await store.init();
  } catch (error) {
    await client.close();
    throw error;
  }
  return store;
}
