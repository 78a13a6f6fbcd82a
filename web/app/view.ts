/** What every page of the app is built from, and what a signed-in page may use. */
import type { CollabClient } from '../../gateway/client/index.ts';
import type { Api } from './api.ts';
import type { ErrorContext } from './error-messages.ts';
import type { OpenDocuments } from './open-documents.ts';
import type { Session } from './session.ts';

/** A page or a part of one: its element, and how to stop everything it started. */
export interface View {
  readonly element: HTMLElement;
  dispose(): void;
}

export interface SignedIn {
  api: Api;
  session: Session;
  client: CollabClient;
  documents: OpenDocuments;
  /** Shows an error in plain words at the top of the page. */
  report(error: unknown, context: ErrorContext): void;
  /** Goes to an address of the app, e.g. `documentHref(id)`. */
  go(href: string): void;
}
