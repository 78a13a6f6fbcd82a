import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { describeDocsStoreContract } from './docs-store.contract.ts';
import { SqliteDocsStore } from './sqlite-docs-store.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-store-'));
let files = 0;

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describeDocsStoreContract(
  'SQLite',
  async () => new SqliteDocsStore(path.join(dir, `${files++}.sqlite`)),
);
