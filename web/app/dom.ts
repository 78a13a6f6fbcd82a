/**
 * Building elements without a framework: `h('button', { type: 'submit' }, 'Save')`. Text is
 * always set as text, never parsed as HTML, so nothing a person typed can become markup.
 */

type Child = Node | string | number | null | undefined | false;

/** Attributes as strings; `true` sets an empty attribute, `false` and undefined leave it out. */
export type Attributes = Record<string, string | number | boolean | undefined>;

/**
 * An element with attributes and children.
 *
 * @example
 * h('label', { for: 'title' }, 'Title');
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...nodes(children));
  return element;
}

/** Replaces an element's children. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren(...nodes(children));
}

function nodes(children: Child[]): (Node | string)[] {
  return children
    .filter(
      (child): child is Node | string | number =>
        child !== null && child !== undefined && child !== false,
    )
    .map((child) => (typeof child === 'number' ? String(child) : child));
}

/**
 * Listens until the returned function is called; views collect these to undo on leaving.
 *
 * @example
 * const stop = listen(window, 'online', refresh);
 */
export function listen<E extends Event = Event>(
  target: EventTarget,
  type: string,
  listener: (event: E) => void,
  options?: AddEventListenerOptions,
): () => void {
  target.addEventListener(type, listener as EventListener, options);
  return () => target.removeEventListener(type, listener as EventListener, options);
}

/**
 * A relative time for lists: "just now", "5 min ago", then the date.
 *
 * @example
 * timeAgo(Date.now() - 120_000); // '2 min ago'
 */
export function timeAgo(ts: number, now = Date.now()): string {
  const seconds = Math.round((now - ts) / 1000);
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  return new Date(ts).toLocaleDateString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
  });
}
