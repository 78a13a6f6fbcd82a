/**
 * Apache Kafka in KRaft mode, from the official jars on Maven Central, run with `java`.
 * One combined broker+controller node by default; three for replication drills.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { REPO_ROOT } from '../../common/config.ts';
import { CACHE_DIR, RUN_DIR, hasCommand, run, startDetached, waitUntil } from './process.ts';

const KAFKA_DIR = path.join(REPO_ROOT, 'scripts', 'infra', 'kafka');

/** The pinned broker version, read from the pom that resolves the jars. */
export const KAFKA_VERSION = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(
  fs.readFileSync(path.join(KAFKA_DIR, 'pom.xml'), 'utf8'),
)![1]!;

export interface KafkaNode {
  id: number;
  name: string;
  host: string;
  brokerPort: number;
  controllerPort: number;
}

/** Node i listens on 9092 + 100·(i−1) for clients and one port above for the controller. */
export function kafkaNodes(count: number): KafkaNode[] {
  return Array.from({ length: count }, (_, i) => ({
    id: i + 1,
    name: count === 1 ? 'kafka' : `kafka-${i + 1}`,
    host: '127.0.0.1',
    brokerPort: 9092 + 100 * i,
    controllerPort: 9093 + 100 * i,
  }));
}

export function brokerList(nodes: KafkaNode[]): string[] {
  return nodes.map((n) => `${n.host}:${n.brokerPort}`);
}

/** Resolves the broker's jars with Maven once, into the cache; later runs reuse them. */
export async function ensureKafkaJars(): Promise<string> {
  const jarsDir = path.join(CACHE_DIR, `kafka-${KAFKA_VERSION}`, 'jars');
  if (fs.existsSync(path.join(jarsDir, '.complete'))) return jarsDir;

  for (const tool of ['java', 'mvn']) {
    if (!hasCommand(tool))
      throw new Error(`kafka: '${tool}' is not installed (Java 17+ and Maven are needed)`);
  }
  const staging = `${jarsDir}.partial`;
  fs.rmSync(staging, { recursive: true, force: true });
  console.error(`kafka: resolving Apache Kafka ${KAFKA_VERSION} jars from Maven Central…`);
  await run('mvn', [
    '-q',
    '-B',
    '-f',
    path.join(KAFKA_DIR, 'pom.xml'),
    'dependency:copy-dependencies',
    `-DoutputDirectory=${staging}`,
    '-DincludeScope=runtime',
  ]);
  fs.writeFileSync(path.join(staging, '.complete'), KAFKA_VERSION);
  fs.rmSync(jarsDir, { recursive: true, force: true });
  fs.renameSync(staging, jarsDir);
  return jarsDir;
}

function serverProperties(node: KafkaNode, nodes: KafkaNode[], dataDir: string): string {
  const replication = Math.min(3, nodes.length);
  const voters = nodes.map((n) => `${n.id}@${n.host}:${n.controllerPort}`).join(',');
  return [
    'process.roles=broker,controller',
    `node.id=${node.id}`,
    `controller.quorum.voters=${voters}`,
    `listeners=PLAINTEXT://${node.host}:${node.brokerPort},CONTROLLER://${node.host}:${node.controllerPort}`,
    `advertised.listeners=PLAINTEXT://${node.host}:${node.brokerPort}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${dataDir}`,
    `offsets.topic.replication.factor=${replication}`,
    `transaction.state.log.replication.factor=${replication}`,
    `transaction.state.log.min.isr=${Math.min(2, replication)}`,
    `default.replication.factor=${replication}`,
    `min.insync.replicas=${Math.min(2, replication)}`,
    // Tests and drills create consumer groups constantly; waiting for more members is pointless.
    'group.initial.rebalance.delay.ms=0',
    'num.partitions=12',
    'auto.create.topics.enable=false',
    '',
  ].join('\n');
}

/** Writes the node's configuration and formats its storage the first time. */
async function prepareNode(
  node: KafkaNode,
  nodes: KafkaNode[],
  jarsDir: string,
  clusterDir: string,
): Promise<string> {
  const dataDir = path.join(clusterDir, node.name);
  const propsFile = path.join(clusterDir, `${node.name}.properties`);
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(propsFile, serverProperties(node, nodes, dataDir));

  if (!fs.existsSync(path.join(dataDir, 'meta.properties'))) {
    const clusterIdFile = path.join(clusterDir, 'cluster-id');
    if (!fs.existsSync(clusterIdFile)) {
      fs.writeFileSync(clusterIdFile, randomBytes(16).toString('base64url'));
    }
    const clusterId = fs.readFileSync(clusterIdFile, 'utf8').trim();
    await run('java', [
      '-cp',
      `${jarsDir}/*`,
      'kafka.tools.StorageTool',
      'format',
      '-t',
      clusterId,
      '-c',
      propsFile,
    ]);
  }
  return propsFile;
}

/** Starts every node that is not already running; resolves once all brokers answer. */
export async function startKafka(
  nodes: KafkaNode[],
): Promise<Array<{ node: KafkaNode; pid: number }>> {
  const jarsDir = await ensureKafkaJars();
  const clusterDir = path.join(RUN_DIR, `kafka-${nodes.length}node`);
  const started = [];
  for (const node of nodes) {
    const propsFile = await prepareNode(node, nodes, jarsDir, clusterDir);
    const { pid, logFile } = startDetached(node.name, 'java', [
      `-Xmx${process.env.KAFKA_HEAP ?? '512m'}`,
      '-XX:+UseG1GC',
      `-Dlog4j2.configurationFile=${path.join(KAFKA_DIR, 'log4j2.properties')}`,
      '-cp',
      `${jarsDir}/*`,
      'kafka.Kafka',
      propsFile,
    ]);
    started.push({ node, pid, logFile });
  }

  for (const { node, pid, logFile } of started) {
    await waitUntil(
      `kafka node ${node.id} (${node.host}:${node.brokerPort})`,
      () => kafkaAnswers(brokerList(nodes), nodes.length),
      {
        timeoutMs: 90_000,
        logFile,
        pid,
      },
    );
  }
  return started.map(({ node, pid }) => ({ node, pid }));
}

/** True once the cluster reports at least `brokerCount` brokers and a controller. */
export async function kafkaAnswers(brokers: string[], brokerCount = 1): Promise<boolean> {
  const kafka = new Kafka({
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length >= brokerCount && cluster.controller !== null;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
