import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../common/errors.ts';
import { CollabError } from '../../gateway/client/index.ts';
import { describeError, type ErrorContext } from './error-messages.ts';

const CONTEXTS: ErrorContext[] = [
  'sign-in',
  'list',
  'create',
  'open',
  'edit',
  'share',
  'history',
  'connect',
];

describe('describeError', () => {
  it('has a sentence for every protocol code in every context', () => {
    for (const code of ERROR_CODES) {
      for (const context of CONTEXTS) {
        const { summary } = describeError(new CollabError(code, 'x'), context);
        expect(summary, `${code} in ${context}`).toMatch(/^[A-Z].*[.…]$/);
        expect(summary).not.toContain(code);
      }
    }
  });

  it('keeps the server message as the detail', () => {
    expect(describeError({ code: 'FORBIDDEN', message: 'editor role needed' }, 'edit')).toEqual({
      summary: 'You can only read this document now, so your last edit was undone.',
      detail: 'editor role needed',
    });
  });

  it('says when a rate-limited request will be retried', () => {
    const { summary } = describeError(new CollabError('RATE_LIMITED', 'slow down', 1500), 'edit');
    expect(summary).toContain('Retrying in 2 s.');
  });

  it('explains a disabled dev sign-in', () => {
    expect(describeError(new CollabError('NOT_FOUND', ''), 'sign-in').summary).toContain(
      'AUTH_DEV=1',
    );
  });

  it('treats anything else as a fault of the page, not of the server', () => {
    const { summary, detail } = describeError(new TypeError('x is undefined'), 'edit');
    expect(summary).toMatch(/^Something went wrong on this page/);
    expect(detail).toBe('x is undefined');
  });
});
