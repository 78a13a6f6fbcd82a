/**
 * The app's addresses. A document opens at `/#/d/<id>` (the form the app writes, so that any
 * static host could serve it) or `/d/<id>` (the form people type); everything else shows the
 * list of documents.
 */

export type Route =
  | { page: 'documents' }
  | { page: 'document'; id: string }
  /** An address that names something the app does not have. */
  | { page: 'unknown'; address: string };

/** The gateway's document id format. */
const DOC_ID = /^[A-Za-z0-9_-]{1,64}$/;
const DOC_PATH = /^\/d\/([^/?#]*)\/?$/;

/**
 * The page an address shows; the hash wins over the path.
 *
 * @example
 * parseRoute({ pathname: '/', hash: '#/d/abc' }); // { page: 'document', id: 'abc' }
 */
export function parseRoute(location: { pathname: string; hash: string }): Route {
  const hash = location.hash.replace(/^#/, '');
  if (hash !== '' && hash !== '/') return routeOf(hash);
  return routeOf(location.pathname);
}

function routeOf(path: string): Route {
  if (path === '' || path === '/') return { page: 'documents' };
  const match = DOC_PATH.exec(path);
  if (!match) return { page: 'unknown', address: path };
  const id = safeDecode(match[1]!);
  return id !== null && DOC_ID.test(id)
    ? { page: 'document', id }
    : { page: 'unknown', address: path };
}

/** The link the app uses for a document, relative to the page. */
export function documentHref(id: string): string {
  return `#/d/${id}`;
}

/**
 * The document id in what a person pasted: a bare id, or any link to a document.
 *
 * @example
 * documentIdIn('http://localhost:8080/#/d/Jm3x0K1d'); // 'Jm3x0K1d'
 */
export function documentIdIn(input: string, base = 'http://localhost/'): string | null {
  const text = input.trim();
  if (DOC_ID.test(text)) return text;
  let url: URL;
  try {
    url = new URL(text, base);
  } catch {
    return null;
  }
  const route = parseRoute(url);
  return route.page === 'document' ? route.id : null;
}

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}
