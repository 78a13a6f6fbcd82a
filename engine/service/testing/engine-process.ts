/** An engine as its own OS process (`engine/main.ts`), for tests that kill it with SIGKILL. */
import { freePort, spawnService, type ServiceProcess } from '../../../test/service-process.ts';

export { freePort };

export interface EngineProcess extends ServiceProcess {
  port: number;
}

export async function spawnEngine(namespace: string, partitions: number): Promise<EngineProcess> {
  const port = await freePort();
  const service = await spawnService(
    'engine/main.ts',
    {
      KAFKA_TOPIC_PREFIX: namespace,
      MONGO_DB: namespace,
      KAFKA_PARTITIONS: String(partitions),
      ENGINE_PORT: String(port),
    },
    `http://127.0.0.1:${port}/readyz`,
  );
  return { ...service, port };
}
