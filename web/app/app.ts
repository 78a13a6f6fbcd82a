/**
 * The app: who is signed in, which page is showing, and the one connection to the gateway
 * that every open document shares. Pages are rebuilt from the address on every navigation;
 * anything that goes wrong ends up as a sentence on the page, never as a blank one.
 */
import { connect } from '../../gateway/client/index.ts';
import { Api } from './api.ts';
import { h, replaceChildren } from './dom.ts';
import { describeError } from './error-messages.ts';
import { Notice } from './notice.ts';
import { OpenDocuments } from './open-documents.ts';
import { parseRoute } from './router.ts';
import { SessionStore, type Session } from './session.ts';
import type { SignedIn, View } from './view.ts';
import { documentListView } from './views/document-list.ts';
import { editorPage } from './views/editor-page.ts';
import { signInView } from './views/sign-in.ts';

const SESSION_ENDED = 'Your session has ended. Please sign in again.';

export class App {
  private readonly notice = new Notice();
  private readonly account = h('div', { class: 'account' });
  private readonly main = h('main', { id: 'main', tabindex: -1 });
  private readonly store: SessionStore;
  private signedIn: SignedIn | null = null;
  private view: View | null = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly base: string,
  ) {
    this.store = new SessionStore(storage());
  }

  start(): void {
    replaceChildren(
      this.root,
      h(
        'header',
        { class: 'topbar' },
        h('a', { class: 'brand', href: '#/' }, 'Collab'),
        this.account,
      ),
      this.notice.element,
      this.main,
    );
    this.useHashAddress();
    window.addEventListener('hashchange', () => this.render());
    window.addEventListener('beforeunload', (event) => {
      // The browser asks the person whether to leave; the text of the question is its own.
      if (this.signedIn?.documents.hasUnsyncedChanges) event.preventDefault();
    });
    window.addEventListener('error', (event) =>
      this.notice.error(event.error ?? event.message, 'edit'),
    );
    window.addEventListener('unhandledrejection', (event) =>
      this.notice.error(event.reason, 'edit'),
    );

    const session = this.store.load();
    const reason = this.store.expired() ? SESSION_ENDED : undefined;
    if (session) this.signIn(session);
    else this.render(reason);
  }

  /** `/d/<id>` is shown as `/#/d/<id>`, the one form the app's own links use. */
  private useHashAddress(): void {
    const route = parseRoute({ pathname: location.pathname, hash: '' });
    if (route.page === 'document' && location.hash === '') {
      history.replaceState(null, '', `/#/d/${route.id}`);
    }
  }

  private render(reason?: string): void {
    this.view?.dispose();
    this.view = null;
    this.notice.clear();
    document.title = 'Collab';
    try {
      this.view = this.pageFor(reason);
      replaceChildren(this.main, this.view.element);
    } catch (error) {
      replaceChildren(this.main, ...failedPage(error));
    }
  }

  private pageFor(reason?: string): View {
    const signedIn = this.signedIn;
    if (!signedIn) {
      return signInView({
        api: new Api(this.base, () => null),
        base: this.base,
        devSignIn: offersDevSignIn(),
        signedIn: (session) => this.signIn(session),
        reason,
      });
    }
    const route = parseRoute(location);
    if (route.page === 'document') return editorPage(signedIn, route.id);
    if (route.page === 'unknown') return unknownPage(route.address);
    return documentListView(signedIn);
  }

  private signIn(session: Session): void {
    this.store.save(session);
    const client = connect(this.base, { token: () => this.store.load()?.token ?? '' });
    client.on('error', (error) => {
      if (error.code === 'UNAUTHENTICATED') this.signOut(SESSION_ENDED);
      else this.notice.error(error, 'connect');
    });
    this.signedIn = {
      api: new Api(
        this.base,
        () => session.token,
        () => this.signOut(SESSION_ENDED),
      ),
      session,
      client,
      documents: new OpenDocuments(client),
      report: (error, context) => this.notice.error(error, context),
      go: (href) => {
        if (location.hash === href) this.render();
        else location.hash = href;
      },
    };
    this.showAccount(session);
    this.render();
  }

  private signOut(reason?: string): void {
    this.view?.dispose();
    this.view = null;
    this.signedIn?.client.close();
    this.signedIn = null;
    this.store.clear();
    replaceChildren(this.account);
    this.render(reason);
  }

  private showAccount(session: Session): void {
    const signOut = h('button', { type: 'button', class: 'quiet' }, 'Sign out');
    signOut.addEventListener('click', () => {
      const unsaved = this.signedIn?.documents.hasUnsyncedChanges ?? false;
      if (unsaved && !confirm('Some of your edits are not saved yet. Sign out anyway?')) return;
      this.signOut();
    });
    replaceChildren(
      this.account,
      h('span', {}, 'Signed in as ', h('strong', {}, session.name), ` (${session.user})`),
      signOut,
    );
  }
}

function unknownPage(address: string): View {
  const element = h(
    'section',
    {},
    h('h1', {}, 'Nothing here'),
    h('p', {}, `The address ${address} does not lead to a document.`),
    h('p', {}, h('a', { href: '#/' }, 'Back to your documents')),
  );
  return { element, dispose: () => undefined };
}

function failedPage(error: unknown): HTMLElement[] {
  const { summary, detail } = describeError(error, 'edit');
  const reload = h('button', { type: 'button' }, 'Reload');
  reload.addEventListener('click', () => location.reload());
  return [
    h('h1', {}, 'Something went wrong'),
    h('p', {}, summary),
    ...(detail ? [h('p', { class: 'detail' }, detail)] : []),
    reload,
  ];
}

/** What the gateway wrote into the page; a page served from elsewhere assumes dev sign-in. */
function offersDevSignIn(): boolean {
  const meta = document.querySelector<HTMLMetaElement>('meta[name="collab-dev-sign-in"]');
  return meta?.content !== 'off';
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
