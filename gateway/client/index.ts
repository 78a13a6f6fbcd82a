/**
 * The collaboration SDK: connect to a gateway, open documents, edit them together.
 *
 * @example
 * import { connect } from './gateway/client/index.ts';
 *
 * const client = connect('http://127.0.0.1:8080', { token });
 * const doc = await client.open(docId);
 * doc.on('change', ({ op, source }) => console.log(source, op, doc.text));
 * doc.insert(0, 'Hello, world');
 */
export { connect, CollabClient, type ClientEvents, type ConnectOptions } from './client.ts';
export { CollabDocument, type ChangeEvent, type DocumentEvents } from './document.ts';
export type { RemoteCursor } from './cursors.ts';
export { CollabError } from './errors.ts';
export type { PresenceEntry, Selection, TextOp, WireOp } from './protocol.ts';
