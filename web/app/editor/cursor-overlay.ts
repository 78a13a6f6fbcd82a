/**
 * Other people's carets and selections, drawn on a layer behind a transparent textarea. The
 * layer repeats the textarea's text in transparent ink with the same font, padding and
 * wrapping, so every character falls where the textarea draws it; highlights and carets sit
 * between those characters, and the layer scrolls with the textarea.
 */
import { h, listen } from '../dom.ts';
import { layoutCursors, type CursorMark } from './cursor-layout.ts';

export class CursorOverlay {
  private readonly layer: HTMLElement;
  private readonly content: HTMLElement;
  private readonly resize: ResizeObserver;
  private readonly stopScroll: () => void;
  private frame: number | null = null;
  private next: { text: string; marks: CursorMark[] } | null = null;

  /** @param host the textarea's positioned parent, where the layer goes */
  constructor(
    private readonly textarea: HTMLTextAreaElement,
    host: HTMLElement,
  ) {
    this.content = h('div', { class: 'cursor-content' });
    this.layer = h('div', { class: 'cursor-layer editor-text', 'aria-hidden': 'true' });
    this.layer.append(this.content);
    host.prepend(this.layer);
    this.stopScroll = listen(textarea, 'scroll', () => this.followScroll());
    this.resize = new ResizeObserver(() => this.followSize());
    this.resize.observe(textarea);
  }

  /** Draws the marks over `text` (what the textarea shows) at the next frame. */
  render(text: string, marks: CursorMark[]): void {
    this.next = { text, marks };
    this.frame ??= requestAnimationFrame(() => {
      this.frame = null;
      this.draw();
    });
  }

  dispose(): void {
    if (this.frame !== null) cancelAnimationFrame(this.frame);
    this.resize.disconnect();
    this.stopScroll();
    this.layer.remove();
  }

  private draw(): void {
    if (!this.next) return;
    const { text, marks } = this.next;
    const fragment = document.createDocumentFragment();
    for (const piece of layoutCursors(text, marks)) {
      if (piece.kind === 'caret') fragment.append(caret(piece.mark));
      else if (piece.colors.length === 0) fragment.append(piece.text);
      else fragment.append(highlight(piece.text, piece.colors));
    }
    // A final empty line of the textarea has a height; an empty text run would not.
    fragment.append('\u200b');
    this.content.replaceChildren(fragment);
    this.followSize();
  }

  private followSize(): void {
    // The textarea's client box leaves out its scroll bar, which takes width from the text.
    this.layer.style.width = `${this.textarea.clientWidth}px`;
    this.layer.style.height = `${this.textarea.clientHeight}px`;
    this.followScroll();
  }

  private followScroll(): void {
    const { scrollLeft, scrollTop } = this.textarea;
    this.content.style.transform = `translate(${-scrollLeft}px, ${-scrollTop}px)`;
  }
}

function caret(mark: CursorMark): HTMLElement {
  const element = h(
    'span',
    { class: 'remote-caret', 'data-cursor': mark.id },
    h('span', { class: 'remote-caret-label' }, mark.name),
  );
  element.style.setProperty('--cursor-color', mark.color);
  return element;
}

function highlight(text: string, colors: string[]): HTMLElement {
  const element = h('span', { class: 'remote-selection' }, text);
  element.style.setProperty('--cursor-color', colors[colors.length - 1]!);
  return element;
}
