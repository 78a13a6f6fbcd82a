// Installs the npm dependencies when they are missing or older than package-lock.json or a
// dependency patch (patches/, applied by the install's postinstall), so that `npm start` and
// `npm test` work on a fresh clone. Plain JavaScript: it runs before tsx exists.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const lock = path.join(root, 'package-lock.json');
const installed = path.join(root, 'node_modules', '.package-lock.json');
const patches = path.join(root, 'patches');

function isCurrent() {
  if (!fs.existsSync(installed)) return false;
  const inputs = [lock];
  if (fs.existsSync(patches))
    for (const name of fs.readdirSync(patches)) inputs.push(path.join(patches, name));
  const installedAt = fs.statSync(installed).mtimeMs;
  return inputs.every((input) => fs.statSync(input).mtimeMs <= installedAt);
}

if (!isCurrent()) {
  console.error('installing dependencies (npm ci)…');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
