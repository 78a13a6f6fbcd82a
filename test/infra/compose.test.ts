import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CONFIG_NAMES, REPO_ROOT } from '../../common/config.ts';

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string | number>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

// Docker is not available on the machines that run this suite, so the file is checked as data.
const compose = parse(fs.readFileSync(path.join(REPO_ROOT, 'compose.yaml'), 'utf8'), {
  merge: true,
}) as { services: Record<string, ComposeService> };
const services = compose.services;

describe('compose.yaml', () => {
  it('runs the infrastructure on official images', () => {
    expect(services.kafka?.image).toMatch(/^apache\/kafka:4\./);
    expect(services.mongo?.image).toMatch(/^mongo:/);
    expect(services.redis?.image).toMatch(/^redis:7/);
  });

  it('runs two engines, a projector and two gateways built from the one Dockerfile', () => {
    for (const name of ['engine-1', 'engine-2', 'projector', 'gateway-1', 'gateway-2']) {
      expect(services[name]?.build, name).toBe('.');
    }
    expect(fs.existsSync(path.join(REPO_ROOT, 'Dockerfile'))).toBe(true);
  });

  it('copies the dependency patches into the image before installing, which applies them', () => {
    const dockerfile = fs.readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8');
    const install = dockerfile.indexOf('RUN npm ci');
    const patches = dockerfile.search(/^COPY patches /m);

    expect(install).toBeGreaterThan(0);
    expect(patches).toBeGreaterThan(0);
    expect(patches).toBeLessThan(install);
    expect(fs.readdirSync(path.join(REPO_ROOT, 'patches')).length).toBeGreaterThan(0);
  });

  it('gives every service a health check and waits only on services that exist', () => {
    for (const [name, service] of Object.entries(services)) {
      expect(service.healthcheck?.test.length, `${name} health check`).toBeGreaterThan(0);
      for (const dependency of Object.keys(service.depends_on ?? {})) {
        expect(services, `${name} depends on ${dependency}`).toHaveProperty(dependency);
        expect(service.depends_on?.[dependency]?.condition).toBe('service_healthy');
      }
    }
  });

  it('starts the product from entry points that exist, configured only by known variables', () => {
    for (const [name, service] of Object.entries(services)) {
      if (!service.build) continue;
      const entry = service.command?.find((part) => part.endsWith('.ts'));
      expect(entry, `${name} entry point`).toBeDefined();
      expect(fs.existsSync(path.join(REPO_ROOT, entry!)), `${name}: ${entry}`).toBe(true);
      for (const variable of Object.keys(service.environment ?? {})) {
        expect(CONFIG_NAMES, `${name}: ${variable}`).toContain(variable);
      }
    }
  });
});
