/**
 * The message line at the top of the page: errors in plain words, with the server's own
 * message as a detail, until the person dismisses them or goes to another page.
 */
import { h, listen, replaceChildren } from './dom.ts';
import { describeError, type ErrorContext } from './error-messages.ts';

export class Notice {
  readonly element: HTMLElement;
  private readonly body = h('div', { class: 'notice-body' });

  constructor() {
    const dismiss = h('button', { type: 'button', class: 'quiet' }, 'Dismiss');
    this.element = h('div', { class: 'notice', role: 'alert', hidden: true }, this.body, dismiss);
    listen(dismiss, 'click', () => this.clear());
  }

  /**
   * Shows an error met while doing `context`.
   *
   * @example
   * notice.error(error, 'share');
   */
  error(error: unknown, context: ErrorContext): void {
    const { summary, detail } = describeError(error, context);
    this.show(summary, detail);
  }

  show(summary: string, detail?: string): void {
    replaceChildren(
      this.body,
      h('p', { class: 'notice-summary' }, summary),
      detail ? h('p', { class: 'detail' }, detail) : null,
    );
    this.element.hidden = false;
  }

  clear(): void {
    this.element.hidden = true;
    replaceChildren(this.body);
  }
}
