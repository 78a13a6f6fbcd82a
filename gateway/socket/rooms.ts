/**
 * Room names. Every socket of a document is in `doc:<id>`, the room that receives the
 * document's operations and presence on every gateway.
 */
export function docRoom(doc: string): string {
  return `doc:${doc}`;
}
