/**
 * The documents this page has open through its one connection. Leaving a document's page
 * does not drop edits still on their way: the document stays open until they are stored,
 * and coming back to it meanwhile finds the same handle, edits and all.
 */
import type { CollabClient, CollabDocument } from '../../gateway/client/index.ts';

export class OpenDocuments {
  private readonly docs = new Set<CollabDocument>();
  private readonly leaving = new Set<CollabDocument>();

  constructor(private readonly client: CollabClient) {}

  /** True when some edit, in any document this page opened, is not stored yet. */
  get hasUnsyncedChanges(): boolean {
    return [...this.docs].some((doc) => doc.hasUnsyncedChanges);
  }

  /**
   * Opens a document, or takes back one that is still closing.
   *
   * @example
   * const doc = await documents.open(id);
   */
  async open(id: string): Promise<CollabDocument> {
    const doc = await this.client.open(id);
    this.leaving.delete(doc);
    this.docs.add(doc);
    return doc;
  }

  /** Closes a document once its edits are stored, unless it is opened again first. */
  release(doc: CollabDocument): void {
    this.leaving.add(doc);
    void doc.whenSynced().then(() => {
      if (!this.leaving.delete(doc)) return;
      this.docs.delete(doc);
      void doc.close();
    });
  }
}
