/**
 * The stores the replay tool works on: the distributed stack's MongoDB (the default), or the
 * embedded mode's SQLite files under DATA_DIR (`--embedded`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { loadConfig, type Config } from '../../common/config.ts';
import type { Logger } from '../../common/logger.ts';
import type { EventStore } from '../../engine/ports/event-store.ts';
import { MongoEventStore } from '../../engine/store/mongo-event-store.ts';
import { SqliteEventStore } from '../../engine/store/sqlite-event-store.ts';
import { policyFromEnv, type ProjectionPolicy } from '../../projector/config.ts';
import type { ProjectionStore } from '../../projector/ports/projection-store.ts';
import { MongoProjectionStore } from '../../projector/store/mongo-projection-store.ts';
import { SqliteProjectionStore } from '../../projector/store/sqlite-projection-store.ts';
import type { EventScan } from './event-scan.ts';
import { MongoEventScan } from './mongo-event-scan.ts';
import { SqliteEventScan } from './sqlite-event-scan.ts';

export interface ReplayContext {
  config: Config;
  policy: ProjectionPolicy;
  events: EventStore;
  scan: EventScan;
  store: ProjectionStore;
  logger: Logger;
  embedded: boolean;
  /** A guess at how many events `docs` have, from how far they are projected: for progress. */
  estimateEvents(docs: string[]): Promise<number>;
  close(): Promise<void>;
}

/** Where the embedded mode (`npm start`) keeps its files under DATA_DIR. */
export function embeddedPaths(dataDir: string) {
  return {
    events: path.join(dataDir, 'events'),
    eventsFile: path.join(dataDir, 'events', 'events.sqlite'),
    projections: path.join(dataDir, 'projections.sqlite'),
    docs: path.join(dataDir, 'docs.sqlite'),
  };
}

export async function openReplayContext(embedded: boolean, logger: Logger): Promise<ReplayContext> {
  const config = loadConfig();
  const stores = embedded ? await openEmbedded(config, logger) : await openMongo(config, logger);
  const { store } = stores;
  return {
    config,
    policy: policyFromEnv(),
    logger,
    embedded,
    ...stores,
    estimateEvents: async (docs) => {
      const states = await Promise.all(docs.map((doc) => store.state(doc)));
      return states.reduce((sum, state) => sum + (state?.head ?? 0), 0);
    },
  };
}

async function openMongo(config: Config, logger: Logger) {
  const client = await MongoClient.connect(config.MONGO_URL);
  const db = client.db(config.MONGO_DB);
  const events = new MongoEventStore(db, { logger });
  // An operator tool reads the generation pointer every time: it must see a publish at once.
  const store = new MongoProjectionStore(db, { logger, generationTtlMs: 0 });
  try {
    await events.init();
    await store.init();
  } catch (error) {
    await client.close();
    throw error;
  }
  return { events, store, scan: new MongoEventScan(db), close: () => client.close() };
}

async function openEmbedded(config: Config, logger: Logger) {
  const paths = embeddedPaths(config.DATA_DIR);
  const events = new SqliteEventStore(paths.events, { logger });
  const docsFile = fs.existsSync(paths.docs) ? paths.docs : undefined;
  const store = new SqliteProjectionStore(paths.projections, { logger, docsFile });
  await events.init();
  await store.init();
  return {
    events,
    store,
    scan: new SqliteEventScan(paths.eventsFile),
    close: async () => {
      await Promise.allSettled([events.close(), store.close()]);
    },
  };
}
