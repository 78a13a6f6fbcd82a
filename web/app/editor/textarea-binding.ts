/**
 * A textarea bound to an open document. Every input event becomes one operation (the
 * difference between the value before and after), submitted through the SDK; every change
 * from someone else is written into the textarea range by range, with the person's own
 * selection moved through it the way OT moves positions, so the caret stays where they were
 * typing. The selection is announced as this user's cursor.
 */
import type { ChangeEvent, CollabDocument, TextOp } from '../../../gateway/client/index.ts';
import { text as type } from '../../../gateway/client/text-type.ts';
import { listen } from '../dom.ts';
import { toCodePoints, toUtf16 } from './offsets.ts';
import { replacementsOf } from './replacements.ts';
import { SurfaceSync, type SurfaceChange } from './surface-sync.ts';

export class TextareaBinding {
  private readonly sync: SurfaceSync;
  /** True during an IME composition, when rewriting the textarea would cancel it. */
  private composing = false;
  private readonly stops: Array<() => void> = [];
  /** The selection last announced, in the document's coordinates, moved with every change. */
  private announced: [number, number] | null = null;

  /**
   * @param changed called after the textarea's text changed, by the person or by others
   */
  constructor(
    private readonly textarea: HTMLTextAreaElement,
    private readonly doc: CollabDocument,
    private readonly changed: () => void,
  ) {
    this.sync = new SurfaceSync(doc.text);
    textarea.value = doc.text;

    const onChange = (event: ChangeEvent) => this.documentChanged(event);
    const onReset = ({ text }: { text: string }) => this.reset(text);
    doc.on('change', onChange).on('reset', onReset);
    const announce = () => this.announceSelection();
    this.stops.push(
      () => doc.off('change', onChange).off('reset', onReset),
      listen(textarea, 'input', () => this.inputChanged()),
      listen(textarea, 'compositionstart', () => (this.composing = true)),
      listen(textarea, 'compositionend', () => this.compositionEnded()),
      listen(textarea, 'select', announce),
      listen(textarea, 'keyup', announce),
      listen(textarea, 'mouseup', announce),
      listen(textarea, 'focus', announce),
      listen(document, 'selectionchange', () => {
        if (document.activeElement === textarea) announce();
      }),
    );
    this.announceSelection();
  }

  /** True while changes of others wait for an IME composition to end. */
  get lagging(): boolean {
    return this.sync.lagging;
  }

  setReadOnly(readOnly: boolean): void {
    this.textarea.readOnly = readOnly;
  }

  /** Stops following the document and hides this user's cursor from the others. */
  dispose(): void {
    for (const stop of this.stops.splice(0)) stop();
    this.doc.setSelection(null);
  }

  private inputChanged(): void {
    const op = this.sync.input(this.textarea.value, this.textarea.selectionEnd);
    if (op) {
      try {
        this.doc.submit(op);
      } catch (error) {
        // The edit did not fit the document's text, which means the textarea and the
        // document disagreed; the document is the truth, so the textarea starts over from it.
        console.error('an edit did not fit the document; showing the document again', error);
        this.reset(this.doc.text);
        return;
      }
    }
    this.announceSelection();
    this.changed();
  }

  private documentChanged({ op, source }: ChangeEvent): void {
    if (this.announced) this.announced = moveSelection(this.announced, op);
    if (source === 'local') return;
    this.sync.change(op);
    if (this.composing) return;
    // An input the textarea has not reported yet would be lost under the replacement; taken
    // now, it is transformed past the change like any edit made while lagging.
    if (this.textarea.value !== this.sync.shown) this.inputChanged();
    this.catchUp();
  }

  private compositionEnded(): void {
    this.composing = false;
    this.inputChanged();
    this.catchUp();
  }

  private catchUp(): void {
    const change = this.sync.catchUp();
    if (change) this.show(change);
    this.changed();
  }

  /** Writes a change into the textarea, keeping the selection and the scroll position. */
  private show(change: SurfaceChange): void {
    const { textarea } = this;
    const map = (index: number) =>
      toUtf16(change.after, type.transformPosition(toCodePoints(change.before, index), change.op));
    const start = map(textarea.selectionStart);
    const end = map(textarea.selectionEnd);
    const direction = textarea.selectionDirection;
    const { scrollTop, scrollLeft } = textarea;

    for (const { from, to, text } of replacementsOf(change.before, change.op).reverse()) {
      textarea.setRangeText(text, from, to);
    }
    if (textarea.value !== change.after) textarea.value = change.after;
    textarea.setSelectionRange(start, end, direction);
    textarea.scrollTop = scrollTop;
    textarea.scrollLeft = scrollLeft;
  }

  private reset(text: string): void {
    const { selectionStart, selectionEnd } = this.textarea;
    this.sync.reset(text);
    this.textarea.value = text;
    this.textarea.setSelectionRange(
      Math.min(selectionStart, text.length),
      Math.min(selectionEnd, text.length),
    );
    this.announced = null;
    this.announceSelection();
    this.changed();
  }

  private announceSelection(): void {
    const { textarea } = this;
    if (textarea.value !== this.sync.shown) return;
    const { selectionStart, selectionEnd, selectionDirection } = textarea;
    const [anchor, head] =
      selectionDirection === 'backward'
        ? [selectionEnd, selectionStart]
        : [selectionStart, selectionEnd];
    const toDocument = (index: number) =>
      this.sync.toDocument(toCodePoints(this.sync.shown, index));
    const selection: [number, number] = [toDocument(anchor), toDocument(head)];
    if (this.announced?.[0] === selection[0] && this.announced[1] === selection[1]) return;
    this.announced = selection;
    this.doc.setSelection(selection);
  }
}

function moveSelection(selection: [number, number], op: TextOp): [number, number] {
  return [type.transformPosition(selection[0], op), type.transformPosition(selection[1], op)];
}
