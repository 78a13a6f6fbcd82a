/**
 * A MongoDB generation being rebuilt. Its `docs` fields go to a staging collection rather than
 * the shared `docs`, because a rebuild must be able to lower a head that ran ahead, which the
 * live commits (`$max`) never do; publishing copies them over exactly.
 */
import type { Collection, Db } from 'mongodb';
import type { Logger } from '../../common/logger.ts';
import type { ProjectionCommit } from '../model/records.ts';
import type { StagingProjection } from '../ports/projection-store.ts';
import { generationNames, type GenerationPointer } from './generations.ts';
import { MongoGeneration, dropIfExists } from './mongo-generation.ts';
import { DOCS, type DocFieldsRecord } from './mongo-records.ts';

export interface PointerAccess {
  readPointer(): Promise<GenerationPointer>;
  writePointer(pointer: GenerationPointer): Promise<void>;
  logger: Logger;
}

export class MongoStaging implements StagingProjection {
  private readonly records: MongoGeneration;
  private readonly stagedDocs: Collection<DocFieldsRecord>;

  constructor(
    private readonly db: Db,
    readonly generation: number,
    private readonly pointer: PointerAccess,
  ) {
    this.stagedDocs = db.collection(generationNames(generation).stagedDocs);
    this.records = new MongoGeneration(db, generation, this.stagedDocs);
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

  /**
   * `head` and `contributors` are set exactly, repairing any that ran ahead. `updatedAt` is
   * only raised: the gateway moves it too (on a change of roles), and that is not an error.
   *
   * The `docs` fields are copied before the pointer moves: a crash in between leaves correct
   * fields and an unpublished generation, and running the rebuild again publishes it.
   */
  async publish(): Promise<number> {
    const before = await this.pointer.readPointer();
    await this.copyDocFields();
    await this.pointer.writePointer({ live: this.generation, staging: null, stagingPolicy: null });
    await dropIfExists(this.db, this.stagedDocs.collectionName);
    this.pointer.logger.info(
      { from: before.live, to: this.generation },
      'projection generation published',
    );
    return before.live;
  }

  private async copyDocFields(): Promise<void> {
    const docs = this.db.collection<DocFieldsRecord>(DOCS);
    const staged = await this.stagedDocs.find({}).toArray();
    if (staged.length === 0) return;
    await docs.bulkWrite(
      staged.map(({ _id, head, updatedAt, contributors }) => ({
        updateOne: {
          filter: { _id },
          update: { $set: { head, contributors }, $max: { updatedAt } },
          upsert: true,
        },
      })),
      { ordered: false },
    );
  }
}
