/**
 * Checks shared by the end-to-end tests that type a lot: wait for a client to reach a version,
 * read the head from the gateway, rebuild the text from the event store.
 */
import { type as otText } from 'ot-text-unicode';
import type { EventStore } from '../../engine/ports/event-store.ts';
import type { CollabDocument } from '../../gateway/client/index.ts';
import { http } from './helpers.ts';

/**
 * Resolves as soon as the document has applied every version up to `version`, without polling:
 * it listens for the remote change or acknowledgement that gets it there.
 *
 * @example
 * await reachVersion(doc, head);
 */
export function reachVersion(doc: CollabDocument, version: number, timeoutMs = 15_000) {
  if (doc.version >= version) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const check = () => {
      if (doc.version < version) return;
      stop();
      resolve();
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`document stuck at version ${doc.version}, waiting for ${version}`));
    }, timeoutMs);
    const stop = () => {
      clearTimeout(timer);
      doc.off('change', check).off('ack', check).off('reset', check);
    };
    doc.on('change', check).on('ack', check).on('reset', check);
  });
}

/** The head version and text as the gateway serves them (`GET /api/docs/:id/text`). */
export async function headText(
  url: string,
  token: string,
  doc: string,
): Promise<{ v: number; text: string }> {
  const reply = await http<{ v: number; text: string }>(url, 'GET', `/api/docs/${doc}/text`, {
    token,
  });
  if (reply.status !== 200) throw new Error(`text read failed: ${JSON.stringify(reply.body)}`);
  return reply.body;
}

/** The text rebuilt from nothing but the document's events in the event store. */
export async function storedText(
  events: EventStore,
  doc: string,
): Promise<{ v: number; text: string }> {
  const stored = await events.range(doc, 0);
  let text = '';
  stored.forEach((event, i) => {
    if (event.v !== i + 1) throw new Error(`event store gap: version ${event.v} at index ${i}`);
    text = otText.apply(text, event.op);
  });
  return { v: stored.length, text };
}
