/**
 * The documents a projector holds in memory, with the partition each came from. Anything
 * evicted is picked up again from the store, so the cache only saves work: it is dropped
 * whole when partitions move or the live generation changes, and trimmed to a size between
 * batches, least recently used first.
 */
import type { DocumentProjection } from '../model/document-projection.ts';

interface Entry {
  projection: DocumentProjection;
  partition: number;
}

export class DocumentCache {
  // A Map iterates in insertion order; re-inserting on use keeps the least recent first.
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxDocuments: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(doc: string): DocumentProjection | undefined {
    const entry = this.entries.get(doc);
    if (!entry) return undefined;
    this.entries.delete(doc);
    this.entries.set(doc, entry);
    return entry.projection;
  }

  set(doc: string, partition: number, projection: DocumentProjection): void {
    this.entries.delete(doc);
    this.entries.set(doc, { projection, partition });
  }

  evict(doc: string): void {
    this.entries.delete(doc);
  }

  evictPartitions(partitions: readonly number[]): void {
    for (const [doc, entry] of this.entries) {
      if (partitions.includes(entry.partition)) this.entries.delete(doc);
    }
  }

  clear(): void {
    this.entries.clear();
  }

  /** Drops the least recently used documents beyond the limit. */
  trim(): void {
    for (const doc of this.entries.keys()) {
      if (this.entries.size <= this.maxDocuments) return;
      this.entries.delete(doc);
    }
  }
}
