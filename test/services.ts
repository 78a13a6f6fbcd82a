/** Addresses of the real servers for tests, and names that keep test runs apart. */
import { randomUUID } from 'node:crypto';
import { serviceUrls } from '../scripts/infra/services.ts';

export const services = serviceUrls();

export const kafkaBrokers = services.KAFKA_BROKERS.split(',');

/** A name no other test or earlier run uses: for topics, consumer groups and databases. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
}
