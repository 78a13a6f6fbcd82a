/**
 * The web editor in a real browser (Debian's Chromium through playwright-core), served by
 * the gateway, on both wirings with the sequencer and the projector running: people sign in,
 * create and share a document, type into it at the same time with the keyboard, and end with
 * the same text as the server; they see each other's carets; a viewer cannot type; history
 * shows earlier versions; failures read as sentences.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { colorOf } from '../../gateway/presence/color.ts';
import { devToken, http, newUser, signedToken } from '../gateway/helpers.ts';
import { WIRINGS, startWiring, type Wiring } from '../gateway/wirings.ts';
import { AppPage, eventually as waitFor, launchBrowser } from './app-page.ts';

/** Installing Chromium on a fresh machine takes minutes; starting the wiring, seconds. */
const SETUP_MS = 600_000;
const CONVERGE_MS = 30_000;

describe.each(WIRINGS)('the web editor (%s)', (name) => {
  let wiring: Wiring;
  let browser: Browser;
  const pages: AppPage[] = [];

  beforeAll(async () => {
    [wiring, browser] = await Promise.all([
      startWiring(name, { sequencer: true, projector: true }),
      launchBrowser(),
    ]);
  }, SETUP_MS);

  afterAll(async () => {
    for (const page of pages) await page.close().catch(() => undefined);
    await browser?.close();
    await wiring?.stop();
  });

  /** A person in a fresh browser context, at a gateway (the last one unless told). */
  async function person(path = '/', gateway = wiring.urls.at(-1)!): Promise<AppPage> {
    const page = await AppPage.open(browser, `${gateway}${path}`);
    pages.push(page);
    return page;
  }

  async function serverText(doc: string, user: string): Promise<{ v: number; text: string }> {
    const token = await devToken(wiring.urls[0]!, user);
    const reply = await http<{ v: number; text: string }>(
      wiring.urls[0]!,
      'GET',
      `/api/docs/${doc}/text`,
      { token },
    );
    expect(reply.status).toBe(200);
    return reply.body;
  }

  /** Ada's document, shared through the app with Bob (editor) and Carol (viewer). */
  async function sharedDocument() {
    const [adaId, bobId, carolId] = [newUser('ada'), newUser('bob'), newUser('carol')];
    const ada = await person('/', wiring.urls[0]);
    await ada.signIn('Ada', adaId);
    const doc = await ada.createDocument('Meeting notes');
    await ada.share(bobId, 'Can edit');
    await ada.share(carolId, 'Can view');
    return { doc, ada, adaId, bobId, carolId };
  }

  it('lets two people on different gateways type at once and ends with the server’s text', async () => {
    const { doc, ada, adaId, bobId } = await sharedDocument();
    const bob = await person(`/d/${doc}`);
    await bob.signIn('Bob', bobId);
    await bob.editor.waitFor();

    await Promise.all([ada.focusEditorEnd(), bob.focusEditorEnd()]);
    await Promise.all([
      (async () => {
        await ada.page.keyboard.type('Hello from Adaa', { delay: 15 });
        await ada.page.keyboard.press('Backspace');
        await ada.page.keyboard.type('. ', { delay: 15 });
      })(),
      (async () => {
        await bob.page.keyboard.type('Bob was here 😀', { delay: 15 });
        await bob.page.keyboard.press('Enter');
        await bob.page.keyboard.type('!', { delay: 15 });
      })(),
    ]);

    const final = await waitFor(
      async () => {
        const [a, b, server] = await Promise.all([ada.text(), bob.text(), serverText(doc, adaId)]);
        const settled = (await ada.saved()) && (await bob.saved());
        return settled && a === b && a === server.text && server;
      },
      CONVERGE_MS,
      'both pages and the server to hold the same text',
    );
    // Each caret moved with the other person's edits, so each person's words stayed whole.
    expect(final.text).toContain('Hello from Ada. ');
    expect(final.text).toContain('Bob was here 😀\n!');
    expect(final.text.length).toBe('Hello from Ada. Bob was here 😀\n!'.length);
    await waitFor(async () => (await ada.version()) === final.v, CONVERGE_MS, 'the version');
    expect(await bob.version()).toBe(final.v);

    // Ada sees Bob's caret with his name and the color the gateway gives him, and him in the list.
    // The overlay redraws its carets on every change, so a label found a moment ago may be gone
    // (a detached element has no computed style); the check reads whichever label is current.
    const label = ada.page.locator('.remote-caret-label', { hasText: 'Bob' });
    await label.waitFor({ state: 'visible' });
    await expect
      .poll(() => label.evaluate((el) => getComputedStyle(el).backgroundColor), { timeout: 5_000 })
      .toBe(rgb(colorOf(bobId)));
    await ada.page.locator('.presence .person', { hasText: 'Bob' }).waitFor();
    await bob.page.locator('.remote-caret-label', { hasText: 'Ada' }).waitFor({ state: 'visible' });

    expect([...ada.problems, ...bob.problems]).toEqual([]);
  });

  it('keeps an input method composition intact while others type, then shows their edits', async () => {
    const { doc, ada, adaId, bobId } = await sharedDocument();
    await ada.focusEditorEnd();
    await ada.page.keyboard.type('Hello ', { delay: 10 });
    const bob = await person(`/d/${doc}`);
    await bob.signIn('Bob', bobId);
    await waitFor(async () => (await bob.text()) === 'Hello ', CONVERGE_MS, 'the text at Bob');

    await ada.compose('に');
    await ada.compose('にほ');
    await bob.editor.click();
    await bob.page.keyboard.press('Control+Home');
    await bob.page.keyboard.type('Bob: ', { delay: 10 });
    await waitFor(async () => bob.saved(), CONVERGE_MS, 'Bob’s edits stored');
    const afterBob = (await serverText(doc, adaId)).v;
    await waitFor(
      async () => (await ada.version()) === afterBob,
      CONVERGE_MS,
      'Bob’s edits at Ada',
    );
    // Rewriting the textarea now would cancel the composition, so Bob's words wait.
    expect(await ada.text()).toBe('Hello にほ');

    await ada.commit('日本');
    const final = await waitFor(
      async () => {
        const [a, b, server] = await Promise.all([ada.text(), bob.text(), serverText(doc, adaId)]);
        const settled = (await ada.saved()) && (await bob.saved());
        return settled && a === b && a === server.text && a;
      },
      CONVERGE_MS,
      'both pages and the server to hold the same text',
    );
    expect(final).toBe('Bob: Hello 日本');
    expect([...ada.problems, ...bob.problems]).toEqual([]);
  });

  it('shows a viewer the text and everyone’s edits, and does not let them type', async () => {
    const { doc, ada, adaId, carolId } = await sharedDocument();
    await ada.focusEditorEnd();
    await ada.page.keyboard.type('Read me', { delay: 10 });
    const carol = await person(`/#/d/${doc}`);
    await carol.signIn('Carol', carolId);
    await carol.editor.waitFor();

    expect(await carol.editor.getAttribute('readonly')).not.toBeNull();
    await carol.page.getByText('You can read this document but not change it.').waitFor();
    await waitFor(async () => (await carol.text()) === 'Read me', CONVERGE_MS, 'the text at Carol');

    await carol.editor.click();
    await carol.page.keyboard.type('nope', { delay: 10 });
    await carol.page.keyboard.press('Backspace');
    await ada.page.keyboard.type(', Carol', { delay: 10 });

    await waitFor(
      async () => (await carol.text()) === 'Read me, Carol',
      CONVERGE_MS,
      'Ada’s edit at Carol',
    );
    await waitFor(async () => ada.saved(), CONVERGE_MS, 'Ada’s edits stored');
    expect((await serverText(doc, adaId)).text).toBe('Read me, Carol');
    // A viewer still shows a cursor, so the others know who is reading along.
    await ada.page.locator('.presence .person', { hasText: 'Carol' }).waitFor();
    expect(carol.problems).toEqual([]);
  });

  it('lists revisions and shows the text at a chosen revision and version', async () => {
    const { doc, ada, adaId } = await sharedDocument();
    await ada.focusEditorEnd();
    await ada.page.keyboard.type('abc', { delay: 10 });
    await waitFor(async () => ada.saved(), CONVERGE_MS, 'the edits stored');
    const head = await serverText(doc, adaId);

    await ada.page.getByRole('button', { name: 'History' }).click();
    const panel = ada.page.locator('#history-panel');
    const revision = panel.locator('button.revision').first();
    // The projector follows the log on its own; ask again until it has the latest revision.
    await waitFor(
      async () => {
        await panel.getByRole('button', { name: 'Refresh' }).click();
        return (
          (await revision.getAttribute('data-version', { timeout: 1_000 }).catch(() => null)) ===
          String(head.v)
        );
      },
      CONVERGE_MS,
      'the newest revision in the history panel',
    );
    await revision.click();
    await waitFor(
      async () => (await panel.locator('.version-text').inputValue()) === head.text,
      CONVERGE_MS,
      'the revision text',
    );

    await panel.getByLabel('Show the text at version').fill('2');
    await panel.getByRole('button', { name: 'Show', exact: true }).click();
    await panel.getByRole('heading', { name: 'Version 2' }).waitFor();
    // Keystrokes typed while an edit is in flight travel together, so version 2 holds at
    // least the first two characters; the server says exactly what.
    const atTwo = await http<{ text: string }>(
      wiring.urls[0]!,
      'GET',
      `/api/docs/${doc}/text?v=2`,
      {
        token: await devToken(wiring.urls[0]!, adaId),
      },
    );
    expect(await panel.locator('.version-text').inputValue()).toBe(atTwo.body.text);
    expect(await panel.locator('.version-text').getAttribute('readonly')).not.toBeNull();

    await panel.getByLabel('Show the text at version').fill(String(head.v + 5));
    await panel.getByRole('button', { name: 'Show', exact: true }).click();
    await panel.getByText('That version does not exist yet.').waitFor();
    expect(ada.problems).toEqual([]);
  });

  it('explains documents that do not exist or are not shared, instead of a blank page', async () => {
    const [adaId, eveId] = [newUser('ada'), newUser('eve')];
    const eve = await person('/#/d/doesNotExist1');
    await eve.signIn('Eve', eveId);
    await eve.page.getByRole('heading', { name: 'This document cannot be opened' }).waitFor();
    await eve.page.getByText('That document does not exist, or the link is wrong.').waitFor();

    const adaToken = await devToken(wiring.urls[0]!, adaId);
    const created = await http<{ id: string }>(wiring.urls[0]!, 'POST', '/api/docs', {
      token: adaToken,
      body: {},
    });
    await eve.page.goto(`${wiring.urls.at(-1)}/#/d/${created.body.id}`);
    await eve.page
      .getByText('You do not have access to this document. Ask its owner to share it with you.')
      .waitFor();
    await eve.page.getByRole('link', { name: 'Back to your documents' }).click();
    await eve.page.getByRole('heading', { name: 'Your documents' }).waitFor();
    expect(eve.problems).toEqual([]);
  });
});

describe('the web editor without dev sign-in', () => {
  let wiring: Wiring;
  let browser: Browser;
  let app: AppPage | undefined;

  beforeAll(async () => {
    [wiring, browser] = await Promise.all([
      startWiring('embedded', { env: { AUTH_DEV: '0' } }),
      launchBrowser(),
    ]);
  }, SETUP_MS);

  afterAll(async () => {
    await app?.close().catch(() => undefined);
    await browser?.close();
    await wiring?.stop();
  });

  it('says so, and signs in with an access token instead', async () => {
    app = await AppPage.open(browser, `${wiring.urls[0]}/`);
    await app.page.getByText('This server does not offer quick sign-in by name').waitFor();
    expect(await app.page.getByLabel('Your name').isVisible()).toBe(false);

    await app.page.getByLabel('Access token').fill('not a token');
    await app.page.getByRole('button', { name: 'Sign in with token' }).click();
    await app.page.getByText('That does not look like an access token').waitFor();

    const user = newUser('tok');
    await app.page.getByLabel('Access token').fill(await signedToken(wiring.config, user, '1h'));
    await app.page.getByRole('button', { name: 'Sign in with token' }).click();
    await app.page.getByRole('heading', { name: 'Your documents' }).waitFor();
    await app.page.getByText(`(${user})`).waitFor();
    expect(app.problems).toEqual([]);
  });
});

/** `#rrggbb` as the `rgb(r, g, b)` a computed style reports. */
function rgb(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `rgb(${r}, ${g}, ${b})`;
}
