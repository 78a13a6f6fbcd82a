/**
 * One generation of the projection in MongoDB: its collections, the reads that find one
 * record by `_id`, and the ordered write of a batch's commits.
 */
import { MongoBulkWriteError, type Collection, type Db } from 'mongodb';
import type { DocMetadata, ProjectionCommit, ProjectionState } from '../model/records.ts';
import type { ProjectionReader } from '../ports/projection-store.ts';
import { generationNames } from './generations.ts';
import {
  fromDocFields,
  fromRevisionRecord,
  fromSnapshotRecord,
  fromStateRecord,
  revisionId,
  snapshotId,
  toRevisionRecord,
  toSnapshotRecord,
  toStateRecord,
  type DocFieldsRecord,
  type RevisionRecord,
  type SnapshotRecord,
  type StateRecord,
} from './mongo-records.ts';

const DUPLICATE_KEY = 11000;

export class MongoGeneration implements ProjectionReader {
  readonly snapshots: Collection<SnapshotRecord>;
  readonly latestTexts: Collection<SnapshotRecord>;
  readonly revisions: Collection<RevisionRecord>;
  readonly states: Collection<StateRecord>;

  /**
   * @param docs where the `docs` fields go: the shared `docs` collection for the live
   *   generation, a staging copy for a generation being rebuilt.
   */
  constructor(
    readonly db: Db,
    readonly generation: number,
    readonly docs: Collection<DocFieldsRecord>,
  ) {
    const names = generationNames(generation);
    this.snapshots = db.collection(names.snapshots);
    this.latestTexts = db.collection(names.latest);
    this.revisions = db.collection(names.revisions);
    this.states = db.collection(names.projections);
  }

  async state(doc: string): Promise<ProjectionState | null> {
    const record = await this.states.findOne({ _id: doc });
    return record ? fromStateRecord(record) : null;
  }

  async snapshot(doc: string, v: number) {
    const record = await this.snapshots.findOne({ _id: snapshotId(doc, v) });
    return record ? fromSnapshotRecord(record) : null;
  }

  async latest(doc: string) {
    const record = await this.latestTexts.findOne({ _id: doc });
    return record ? fromSnapshotRecord(record) : null;
  }

  async revision(doc: string, n: number) {
    const record = await this.revisions.findOne({ _id: revisionId(doc, n) });
    return record ? fromRevisionRecord(record) : null;
  }

  async metadata(doc: string): Promise<DocMetadata | null> {
    const record = await this.docs.findOne(
      { _id: doc },
      { projection: { head: 1, updatedAt: 1, contributors: 1 } },
    );
    return record ? fromDocFields(record) : null;
  }

  /**
   * One bulk write per kind of record for the whole batch, in the port's order. FerretDB
   * spends milliseconds on each write request, so a batch that touches a hundred documents
   * costs five requests, not five hundred.
   */
  async commit(commits: readonly ProjectionCommit[]): Promise<void> {
    if (commits.length === 0) return;
    await insertNew(
      this.snapshots,
      commits.flatMap((c) => c.snapshots.map(toSnapshotRecord)),
    );
    await insertNew(
      this.revisions,
      commits.flatMap((c) => c.revisions.map(toRevisionRecord)),
    );
    await this.raiseDocFields(commits);
    await this.replaceLatest(commits);
    await this.states.bulkWrite(
      commits.map(({ state }) => ({
        replaceOne: { filter: { _id: state.doc }, replacement: toStateRecord(state), upsert: true },
      })),
      { ordered: false },
    );
  }

  /**
   * Replaced whatever version it held: a zombie projector may put an older text back, which
   * costs a reader a few more operations to apply, never a wrong text, since a reader applies
   * every stored operation after the version the record names.
   */
  private async replaceLatest(commits: readonly ProjectionCommit[]): Promise<void> {
    const latest = commits.flatMap((commit) => (commit.latest ? [commit.latest] : []));
    if (latest.length === 0) return;
    await this.latestTexts.bulkWrite(
      latest.map((snapshot) => ({
        replaceOne: {
          filter: { _id: snapshot.doc },
          replacement: { ...toSnapshotRecord(snapshot), _id: snapshot.doc },
          upsert: true,
        },
      })),
      { ordered: false },
    );
  }

  /**
   * `$max` and `$addToSet` only ever raise the fields, so a redelivered batch, or a zombie
   * projector still writing an older position, cannot move them back. The upsert creates
   * the entry of a document whose history exists without one (written by a tool, say); the
   * gateway's fields stay untouched either way.
   */
  private async raiseDocFields(commits: readonly ProjectionCommit[]): Promise<void> {
    await this.docs.bulkWrite(
      commits.map(({ state, contributors }) => ({
        updateOne: {
          filter: { _id: state.doc },
          update: {
            $max: { head: state.head, updatedAt: state.updatedAt },
            $addToSet: { contributors: { $each: contributors } },
          },
          upsert: true,
        },
      })),
      { ordered: false },
    );
  }

  async drop(): Promise<void> {
    for (const collection of [this.snapshots, this.latestTexts, this.revisions, this.states]) {
      await dropIfExists(this.db, collection.collectionName);
    }
  }
}

/**
 * Inserts records whose `_id` may already be stored. They are only ever rewritten with the
 * same content — snapshots and closed revisions are fixed by the history — so a duplicate
 * means a redelivered batch and is skipped, while any other failure is thrown.
 */
export async function insertNew<T extends { _id: string }>(
  collection: Collection<T>,
  records: T[],
): Promise<void> {
  if (records.length === 0) return;
  try {
    // The driver cannot tell that a generic `T` with a string `_id` fits its insert type.
    const documents = records as unknown as Parameters<typeof collection.insertMany>[0];
    await collection.insertMany(documents, { ordered: false });
  } catch (error) {
    if (!(error instanceof MongoBulkWriteError)) throw error;
    const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
    if (writeErrors.some((e) => e.code !== DUPLICATE_KEY)) throw error;
  }
}

export async function dropIfExists(db: Db, name: string): Promise<void> {
  const found = await db.listCollections({ name }, { nameOnly: true }).toArray();
  if (found.length > 0) await db.collection(name).drop();
}
