/**
 * Chromium from Debian's `chromium` package, for the web editor's browser tests (Playwright's
 * own browser downloads are not available here). CHROMIUM_PATH points at another build.
 */
import fs from 'node:fs';
import { hasCommand, run } from './process.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for a headless browser in a container: no sandbox, GPU or background traffic. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
];

/** Installs Debian's chromium when it is missing and this process may use apt-get. */
export async function ensureChromium(): Promise<string> {
  if (fs.existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  const isRoot = process.getuid?.() === 0;
  if (process.env.CHROMIUM_PATH || !isRoot || !hasCommand('apt-get')) {
    throw new Error(
      `chromium: ${CHROMIUM_PATH} does not exist; install Debian's chromium package ` +
        '(apt-get install chromium) or set CHROMIUM_PATH to a Chromium binary',
    );
  }
  console.error("chromium: installing Debian's chromium…");
  await run('apt-get', ['update', '-q']);
  await run('apt-get', ['install', '-y', '-q', 'chromium']);
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`chromium: installed Debian's chromium, but ${CHROMIUM_PATH} is still missing`);
  }
  return CHROMIUM_PATH;
}
