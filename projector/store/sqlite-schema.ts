/**
 * The SQLite projection store's tables. Each generation has its own four tables, named like
 * the MongoDB collections (see `generations.ts`); records are stored as JSON beside the
 * columns they are looked up by.
 */
import type { Database } from 'better-sqlite3';
import { generationNames } from './generations.ts';

export const META_TABLE = 'projection_meta';

/** The projector's `docs` fields of the live generation, in a table of its own. */
export const DOC_FIELDS_TABLE = 'doc_fields';

const COMMON_SCHEMA = `
  CREATE TABLE IF NOT EXISTS ${META_TABLE} (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;
`;

export function docFieldsSchema(table: string): string {
  return `
    CREATE TABLE IF NOT EXISTS ${table} (
      doc TEXT PRIMARY KEY,
      head INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      contributors TEXT NOT NULL
    ) WITHOUT ROWID;
  `;
}

function generationSchema(generation: number): string {
  const names = generationNames(generation);
  return `
    CREATE TABLE IF NOT EXISTS ${names.snapshots} (
      doc TEXT NOT NULL,
      v INTEGER NOT NULL,
      text TEXT NOT NULL,
      ts INTEGER NOT NULL,
      PRIMARY KEY (doc, v)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS ${names.latest} (
      doc TEXT PRIMARY KEY,
      v INTEGER NOT NULL,
      text TEXT NOT NULL,
      ts INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS ${names.revisions} (
      doc TEXT NOT NULL,
      n INTEGER NOT NULL,
      record TEXT NOT NULL,
      PRIMARY KEY (doc, n)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS ${names.projections} (
      doc TEXT PRIMARY KEY,
      state TEXT NOT NULL
    ) WITHOUT ROWID;
  `;
}

export function createCommonTables(db: Database): void {
  db.exec(COMMON_SCHEMA + docFieldsSchema(DOC_FIELDS_TABLE));
}

export function createGenerationTables(db: Database, generation: number): void {
  db.exec(generationSchema(generation));
}

export function dropGenerationTables(db: Database, generation: number): void {
  const names = generationNames(generation);
  const tables = [names.snapshots, names.latest, names.revisions, names.projections];
  for (const table of [...tables, names.stagedDocs]) {
    db.exec(`DROP TABLE IF EXISTS ${table}`);
  }
}

/**
 * The schema that holds the gateway's `docs` table with the columns the projector raises, if
 * one is reachable: the main database or the attached gateway database.
 */
export function findGatewayDocs(db: Database): string | null {
  for (const schema of ['main', 'gateway']) {
    const attached = db.prepare('SELECT name FROM pragma_database_list WHERE name = ?').get(schema);
    if (!attached) continue;
    const columns = db
      .prepare(`SELECT name FROM pragma_table_info('docs', ?)`)
      .all(schema) as Array<{ name: string }>;
    const names = new Set(columns.map((c) => c.name));
    if (names.has('id') && names.has('head') && names.has('updated_at')) return schema;
  }
  return null;
}
