/**
 * The web app, built in memory with esbuild the first time a gateway serves it: one script
 * (the app with the SDK and Socket.IO's client), one stylesheet, their source maps, and the
 * page that loads them. Asset names carry a hash of their content, so browsers may keep them
 * forever while the page itself is always asked for again.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const APP_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'app');

/** Output name → source, relative to APP_DIR; the page refers to `{{app.js}}`, `{{styles.css}}`. */
const ENTRY_POINTS: Record<string, string> = { app: 'main.ts', styles: 'styles.css' };

export interface Asset {
  body: Buffer;
  contentType: string;
}

export interface WebBundle {
  /**
   * The page, for `/` and every address of the app, with its assets' names filled in; what
   * depends on the gateway serving it (`{{devSignIn}}`) is left for the gateway to fill.
   */
  page: string;
  /** Scripts, stylesheets and source maps by file name, as `/assets/<name>`. */
  assets: ReadonlyMap<string, Asset>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

let built: Promise<WebBundle> | null = null;

/**
 * The bundle, built once per process; every gateway in the process shares it. A failed build
 * is not kept, so the next request tries again.
 *
 * @example
 * const { page, assets } = await webBundle();
 */
export function webBundle(): Promise<WebBundle> {
  built ??= buildBundle().catch((error: unknown) => {
    built = null;
    throw error;
  });
  return built;
}

async function buildBundle(): Promise<WebBundle> {
  const result = await build({
    absWorkingDir: APP_DIR,
    entryPoints: ENTRY_POINTS,
    bundle: true,
    write: false,
    // Nothing is written; the directory only gives the outputs their names.
    outdir: 'out',
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome111', 'firefox113', 'safari16.4'],
    minify: true,
    sourcemap: 'linked',
    entryNames: '[name]-[hash]',
    logLevel: 'silent',
    metafile: true,
  });

  const assets = new Map<string, Asset>();
  for (const file of result.outputFiles) {
    const name = path.basename(file.path);
    assets.set(name, {
      body: Buffer.from(file.contents),
      contentType: CONTENT_TYPES[path.extname(name)] ?? 'text/plain; charset=utf-8',
    });
  }
  const sources = new Map(Object.entries(ENTRY_POINTS).map(([name, source]) => [source, name]));
  const names = new Map<string, string>();
  for (const [output, { entryPoint }] of Object.entries(result.metafile.outputs)) {
    const entry = entryPoint && sources.get(entryPoint);
    if (entry) names.set(`${entry}${path.extname(output)}`, path.basename(output));
  }

  const template = await fs.readFile(path.join(APP_DIR, 'index.html'), 'utf8');
  const page = template.replace(/\{\{(\w+\.\w+)\}\}/g, (_, entry: string) => {
    const name = names.get(entry);
    if (!name)
      throw new Error(`the web app's page refers to ${entry}, which the build did not make`);
    return name;
  });
  return { page, assets };
}

/** A short content hash, for the page's ETag. */
export function etagOf(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`;
}
