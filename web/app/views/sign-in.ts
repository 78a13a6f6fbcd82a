/**
 * Signing in: by name through the gateway's dev sign-in where it is on, or by pasting an
 * access token issued elsewhere. The gateway says in the page whether it offers dev sign-in,
 * so a person is not sent to a form that cannot work; a page served from elsewhere finds out
 * on the first attempt.
 */
import { Api } from '../api.ts';
import { h, listen, replaceChildren } from '../dom.ts';
import { describeError } from '../error-messages.ts';
import { USER_ID_PATTERN, sessionOf, userIdFor, type Session } from '../session.ts';
import type { View } from '../view.ts';

export interface SignInDeps {
  api: Api;
  /** The server the token is checked against. */
  base: string;
  /** False when the server is known not to offer dev sign-in. */
  devSignIn: boolean;
  signedIn(session: Session): void;
  /** Why the person is here again, e.g. an expired session. */
  reason?: string;
}

export function signInView(deps: SignInDeps): View {
  const message = h('div', { class: 'form-message', role: 'alert' });
  const dev = devForm(deps, message);
  const token = tokenForm(deps, message);
  const element = h(
    'section',
    { class: 'sign-in', 'aria-labelledby': 'sign-in-heading' },
    h('h1', { id: 'sign-in-heading' }, 'Sign in'),
    h('p', { class: 'lead' }, 'Write plain text together, in real time.'),
    deps.reason ? h('p', { class: 'reason', role: 'status' }, deps.reason) : null,
    dev.element,
    token.element,
    message,
  );

  if (!deps.devSignIn) {
    dev.element.hidden = true;
    token.element.open = true;
    say(message, describeError({ code: 'NOT_FOUND', message: '' }, 'sign-in').summary);
  }

  // Once the page is in the document, the first field takes the keyboard.
  queueMicrotask(() =>
    (deps.devSignIn ? dev.element : token.element)
      .querySelector<HTMLElement>('input, textarea')
      ?.focus(),
  );

  return {
    element,
    dispose() {
      dev.dispose();
      token.dispose();
    },
  };
}

function devForm(deps: SignInDeps, message: HTMLElement) {
  const name = h('input', {
    id: 'sign-in-name',
    name: 'name',
    autocomplete: 'name',
    required: true,
    maxlength: 80,
  });
  const user = h('input', {
    id: 'sign-in-user',
    name: 'user',
    autocomplete: 'username',
    required: true,
    maxlength: 128,
    'aria-describedby': 'sign-in-user-hint',
    spellcheck: 'false',
    autocapitalize: 'off',
  });
  const submit = h('button', { type: 'submit' }, 'Sign in');
  const element = h(
    'form',
    { class: 'stacked', 'aria-label': 'Sign in by name' },
    h('label', { for: 'sign-in-name' }, 'Your name'),
    name,
    h('label', { for: 'sign-in-user' }, 'User id'),
    user,
    h(
      'p',
      { id: 'sign-in-user-hint', class: 'hint' },
      'Others share documents with you by this id: letters, digits and _ . @ : + -',
    ),
    submit,
  );

  // The id follows the name until the person edits the id themselves.
  let userEdited = false;
  const stops = [
    listen(name, 'input', () => {
      if (!userEdited) user.value = userIdFor(name.value);
    }),
    listen(user, 'input', () => (userEdited = user.value !== '')),
    listen<SubmitEvent>(element, 'submit', (event) => {
      event.preventDefault();
      if (!USER_ID_PATTERN.test(user.value)) {
        say(message, 'A user id is 1 to 128 letters, digits or _ . @ : + - (no spaces).');
        user.focus();
        return;
      }
      submit.disabled = true;
      say(message, '');
      deps.api
        .devSignIn(user.value, name.value.trim())
        .then((token) => {
          const session = sessionOf(token);
          if (!session) throw new Error('the server sent a token this page cannot read');
          deps.signedIn(session);
        })
        .catch((error: unknown) => showError(message, error))
        .finally(() => (submit.disabled = false));
    }),
  ];
  return { element, dispose: () => stops.forEach((stop) => stop()) };
}

function tokenForm(deps: SignInDeps, message: HTMLElement) {
  const token = h('textarea', {
    id: 'sign-in-token',
    rows: 3,
    required: true,
    spellcheck: 'false',
    autocapitalize: 'off',
  });
  const submit = h('button', { type: 'submit' }, 'Sign in with token');
  const form = h(
    'form',
    { class: 'stacked' },
    h('label', { for: 'sign-in-token' }, 'Access token'),
    token,
    submit,
  );
  const element = h(
    'details',
    { class: 'token-sign-in' },
    h('summary', {}, 'Sign in with an access token'),
    form,
  );

  const stop = listen<SubmitEvent>(form, 'submit', (event) => {
    event.preventDefault();
    const session = sessionOf(token.value);
    if (!session) {
      say(message, 'That does not look like an access token (a JWT with a user id).');
      return;
    }
    submit.disabled = true;
    say(message, '');
    // A request signed with the token tells whether the server accepts it.
    new Api(deps.base, () => session.token)
      .listDocs()
      .then(() => deps.signedIn(session))
      .catch((error: unknown) => showError(message, error))
      .finally(() => (submit.disabled = false));
  });
  return { element, dispose: stop };
}

function say(element: HTMLElement, text: string): void {
  replaceChildren(element, text ? h('p', {}, text) : null);
}

function showError(element: HTMLElement, error: unknown): void {
  const { summary, detail } = describeError(error, 'sign-in');
  replaceChildren(
    element,
    h('p', {}, summary),
    detail ? h('p', { class: 'detail' }, detail) : null,
  );
}
