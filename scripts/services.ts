/**
 * `npm run services -- up [--brokers 3] | down | status [--json] | logs [name]`
 *
 * Starts, stops and reports the local Kafka, MongoDB-compatible store and Redis.
 */
import { parseArgs } from 'node:util';
import { kafkaNodes } from './infra/kafka.ts';
import {
  serviceLogs,
  servicesDown,
  servicesStatus,
  servicesUp,
  type ServiceStatus,
} from './infra/services.ts';

const USAGE =
  'usage: npm run services -- up [--brokers 1|3] | down | status [--json] | logs [name…]';

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      brokers: { type: 'string', default: '1' },
      json: { type: 'boolean', default: false },
    },
  });
  const [command = 'status', ...rest] = positionals;

  switch (command) {
    case 'up': {
      const brokers = Number(values.brokers);
      if (brokers !== 1 && brokers !== 3) throw new Error('--brokers takes 1 or 3');
      const started = await servicesUp({ brokers });
      console.log(
        started.length ? `started: ${started.join(', ')}` : 'all services were already running',
      );
      printStatus(await servicesStatus());
      return;
    }
    case 'down': {
      const stopped = await servicesDown();
      console.log(
        stopped.length
          ? `stopped: ${stopped.join(', ')}`
          : 'nothing started by these scripts is running',
      );
      return;
    }
    case 'status': {
      const status = await servicesStatus();
      if (values.json) console.log(JSON.stringify(status, null, 2));
      else printStatus(status);
      if (status.some((s) => !s.up)) process.exitCode = 1;
      return;
    }
    case 'logs': {
      const names = rest.length
        ? rest
        : [...kafkaNodes(1), ...kafkaNodes(3)].map((n) => n.name).concat('ferretdb', 'redis');
      console.log(serviceLogs(names) || 'no logs yet');
      return;
    }
    default:
      throw new Error(USAGE);
  }
}

function printStatus(rows: ServiceStatus[]): void {
  console.table(
    rows.map((r) => ({
      component: r.name,
      state: r.up ? 'up' : 'down',
      address: r.address,
      version: r.version,
      pid: r.pid ?? '-',
    })),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
