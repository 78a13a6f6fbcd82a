/**
 * `npm start`: the whole product in one process on its embedded default — the sequencer, the
 * projector and the gateway on the in-process log and SQLite files in DATA_DIR, with the web
 * editor at the gateway's address. No Kafka, MongoDB or Redis is needed. Dev auth is on unless
 * AUTH_DEV=0.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../common/config.ts';
import { createLogger } from '../common/logger.ts';
import { MemoryLog } from '../engine/log/memory-log.ts';
import { Sequencer, sequencerOptionsFromEnv } from '../engine/sequencer/sequencer.ts';
import { startSequencerService } from '../engine/service/sequencer-service.ts';
import { StoreHistory } from '../engine/service/store-history.ts';
import { SqliteEventStore } from '../engine/store/sqlite-event-store.ts';
import { SqliteDocsStore } from '../gateway/docs/sqlite-docs-store.ts';
import { createGateway } from '../gateway/gateway.ts';
import { policyFromEnv } from '../projector/config.ts';
import { HistoryReads } from '../projector/reads/history-reads.ts';
import { latestSnapshots } from '../projector/reads/latest-snapshot.ts';
import { startProjector } from '../projector/service/start-projector.ts';
import { SqliteProjectionStore } from '../projector/store/sqlite-projection-store.ts';
import { webBundle } from '../web/server/bundle.ts';

async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, AUTH_DEV: process.env.AUTH_DEV ?? '1' });
  // One person at a terminal wants the URL, not every lifecycle line; LOG_LEVEL=info shows them.
  const logger = createLogger('collab', process.env.LOG_LEVEL ?? 'warn');
  fs.mkdirSync(config.DATA_DIR, { recursive: true });
  // Built while the stores open, so that the first page load is instant and a broken build is
  // reported here rather than in the browser.
  const editorBuilt = webBundle().then(
    () => true,
    (error: unknown) => {
      console.error(`the web editor could not be built: ${String(error)}`);
      return false;
    },
  );

  const log = new MemoryLog({ logger });
  const events = new SqliteEventStore(path.join(config.DATA_DIR, 'events'), { logger });
  await events.init();
  const docsFile = path.join(config.DATA_DIR, 'docs.sqlite');
  const docs = new SqliteDocsStore(docsFile);
  const projections = new SqliteProjectionStore(path.join(config.DATA_DIR, 'projections.sqlite'), {
    docsFile,
    logger,
  });
  await projections.init();

  const core = new Sequencer(
    new StoreHistory(events, latestSnapshots(projections)),
    sequencerOptionsFromEnv(),
  );
  const sequencer = await startSequencerService({ log, store: events, core, logger });
  const projector = await startProjector({
    log,
    events,
    store: projections,
    policy: policyFromEnv(),
    logger,
  });
  const history = new HistoryReads({ events, projections, logger });
  const gateway = createGateway({ config, log, events, docs, history, logger });
  const url = await gateway.start(config.PORT, process.env.HOST ?? '127.0.0.1');

  const where = `${url}/ (data in ${config.DATA_DIR})`;
  const built = await editorBuilt;
  console.log(built ? `collab is running: open ${where}` : `collab's API is running at ${where}`);
  if (config.AUTH_DEV === '1') {
    console.log(
      'dev sign-in is on: sign in with any name (or POST /api/auth/dev {"user": "alice"})',
    );
  }

  const shutdown = async () => {
    await gateway.stop();
    await projector.stop();
    await sequencer.stop();
    await Promise.allSettled([log.close(), events.close(), docs.close(), projections.close()]);
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
