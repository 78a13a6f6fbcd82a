/**
 * The web editor as a person uses it, for browser tests: each `AppPage` is one person in a
 * browser context of their own (their own localStorage), driving the app through its labels
 * and buttons with real keyboard and mouse input.
 */
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from 'playwright-core';
import { CHROMIUM_ARGS, ensureChromium } from '../../scripts/infra/chromium.ts';

/** How long a step may take before the test fails with the step's name. */
const STEP_MS = 20_000;

/** Debian's Chromium, installed first when it is missing. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = await ensureChromium();
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}

export class AppPage {
  /** Uncaught errors of the page and content security policy violations. */
  readonly problems: string[] = [];

  private constructor(
    readonly page: Page,
    private readonly context: BrowserContext,
  ) {
    page.setDefaultTimeout(STEP_MS);
    page.on('pageerror', (error) => this.problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (/content security policy/i.test(message.text())) this.problems.push(message.text());
    });
  }

  /**
   * A new person at `url`.
   *
   * @example
   * const ada = await AppPage.open(browser, `${gatewayUrl}/`);
   */
  static async open(browser: Browser, url: string): Promise<AppPage> {
    const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    const app = new AppPage(await context.newPage(), context);
    await app.page.goto(url);
    return app;
  }

  get editor(): Locator {
    return this.page.locator('#editor');
  }

  get status(): Locator {
    return this.page.locator('.status-line');
  }

  async signIn(name: string, user: string): Promise<void> {
    await this.page.getByLabel('Your name').fill(name);
    await this.page.getByLabel('User id').fill(user);
    await this.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await this.page.getByText(`Signed in as ${name}`).waitFor();
  }

  /** Creates a document from the list page and returns its id, once its editor shows. */
  async createDocument(title: string): Promise<string> {
    await this.page.getByLabel('New document title').fill(title);
    await this.page.getByRole('button', { name: 'Create' }).click();
    await this.editor.waitFor();
    const id = /#\/d\/([\w-]+)$/.exec(this.page.url())?.[1];
    if (!id) throw new Error(`no document id in ${this.page.url()}`);
    return id;
  }

  /** Gives `user` a role through the share panel; `label` is the role as the select shows it. */
  async share(user: string, label: 'Can edit' | 'Can view'): Promise<void> {
    const panel = this.page.locator('#share-panel');
    if (await panel.isHidden()) await this.page.getByRole('button', { name: 'Share' }).click();
    await panel.getByLabel('User id').fill(user);
    await panel.getByLabel('Role', { exact: true }).selectOption({ label });
    await panel.getByRole('button', { name: 'Give access' }).click();
    await panel.locator(`li[data-user="${user}"]`).waitFor();
  }

  /** Puts the caret in the editor, at the end of the text. */
  async focusEditorEnd(): Promise<void> {
    await this.editor.click();
    await this.page.keyboard.press('Control+End');
  }

  /**
   * Composes `text` with an input method, as a Japanese keyboard would, without committing it;
   * `commit` ends the composition with the final text.
   */
  async compose(text: string): Promise<void> {
    const cdp = await this.page.context().newCDPSession(this.page);
    const end = text.length;
    await cdp.send('Input.imeSetComposition', { text, selectionStart: end, selectionEnd: end });
    await cdp.detach();
  }

  async commit(text: string): Promise<void> {
    const cdp = await this.page.context().newCDPSession(this.page);
    await cdp.send('Input.insertText', { text });
    await cdp.detach();
  }

  text(): Promise<string> {
    return this.editor.inputValue();
  }

  async saved(): Promise<boolean> {
    return (await this.status.getAttribute('data-state')) === 'saved';
  }

  async version(): Promise<number> {
    return Number(await this.page.locator('[data-version]').textContent());
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

/**
 * Waits until `check` resolves to a truthy value and returns it. Each round drives the
 * browser, so rounds are spaced out rather than run back to back.
 *
 * @example
 * await eventually(async () => (await page.text()) === 'hi', 10_000, 'the text');
 */
export async function eventually<T>(
  check: () => Promise<T | null | undefined | false>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
