/**
 * Brings the real Kafka, MongoDB-compatible store and Redis up before any test file runs,
 * and stops afterwards only what it started itself — servers that were already running
 * (`npm run services -- up`, or the user's own through KAFKA_BROKERS, MONGO_URL, REDIS_URL)
 * keep running.
 */
import { servicesDown, servicesUp, serviceUrls } from '../scripts/infra/services.ts';
import { warmUpKafka } from './kafka-warm-up.ts';

export default async function setup(): Promise<() => Promise<void>> {
  const started = await servicesUp();
  if (started.length) console.error(`test setup: started ${started.join(', ')}`);
  await warmUpKafka(serviceUrls().KAFKA_BROKERS.split(','));
  return async () => {
    if (process.env.KEEP_SERVICES === '1' || !started.length) return;
    await servicesDown(started);
  };
}
