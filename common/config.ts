/**
 * Configuration from the environment. Every service and script reads the same names, and
 * every name has a default that works on one machine (see the README's configuration table).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const positiveInt = z.coerce.number().int().positive();

const schema = z.object({
  PORT: positiveInt.default(8080),
  ENGINE_PORT: positiveInt.default(9100),
  PROJECTOR_PORT: positiveInt.default(9200),
  KAFKA_BROKERS: z.string().default('127.0.0.1:9092'),
  KAFKA_PARTITIONS: positiveInt.default(12),
  /** Prefixes every topic name, so several deployments (or test runs) can share a cluster. */
  KAFKA_TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]*$/)
    .default(''),
  MONGO_URL: z.string().default('mongodb://127.0.0.1:27017/'),
  MONGO_DB: z.string().default('collab'),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  DATA_DIR: z.string().default(path.join(REPO_ROOT, '.data', 'embedded')),
  AUTH_DEV: z.enum(['0', '1']).default('0'),
  JWT_SECRET: z.string().min(16).default('dev-only-secret-change-me-please'),
  GATEWAY_PORTS: z.string().default('8080,8081'),
  TRACES_DIR: z.string().default(path.resolve(REPO_ROOT, '..', 'shared', 'traces')),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  MAX_OP_INSERT_BYTES: positiveInt.default(64 * 1024),
  MAX_DOC_BYTES: positiveInt.default(10 * 1024 * 1024),
  MAX_VERSION_LAG: positiveInt.default(10_000),
  OP_WINDOW: positiveInt.default(4_000),
});

export type Config = z.infer<typeof schema>;

/** Every environment variable the product reads. */
export const CONFIG_NAMES = Object.keys(schema.shape) as Array<keyof Config>;

/** Parses the environment; a bad value fails start-up with the variable's name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`bad configuration: ${problems.join('; ')}`);
  }
  return parsed.data;
}

export function kafkaBrokers(config: Pick<Config, 'KAFKA_BROKERS'>): string[] {
  return config.KAFKA_BROKERS.split(',')
    .map((b) => b.trim())
    .filter(Boolean);
}
