#!/usr/bin/env node
// Runs `npm ci` only when node_modules does not match package-lock.json (missing, another version, an extra or a
// missing package), so the README's Quick start commands each work alone and do not reinstall when run in order.
// No dependencies: it runs before anything is installed.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const DEP_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];

/** Why node_modules in `root` is not what `npm ci` would install, or null when it is. */
function staleReason(root) {
  const read = (f) => JSON.parse(fs.readFileSync(path.join(root, f), 'utf8'));
  const installedFile = path.join(root, 'node_modules', '.package-lock.json');
  if (!fs.existsSync(installedFile)) return 'node_modules is missing (no node_modules/.package-lock.json)';
  const manifest = read('package.json');
  const lock = read('package-lock.json');
  // npm writes node_modules/.package-lock.json on every install: what is installed, in lockfile form.
  const installed = read('node_modules/.package-lock.json').packages || {};
  const locked = lock.packages || {};
  for (const field of DEP_FIELDS) {
    const sorted = (deps) => JSON.stringify(Object.entries(deps || {}).sort());
    if (sorted(manifest[field]) !== sorted((locked[''] || {})[field])) {
      return `package.json ${field} differ from package-lock.json`;
    }
  }
  for (const [key, entry] of Object.entries(installed)) {
    if (!locked[key]) return `${key} is installed but not in package-lock.json`;
    if (locked[key].version !== entry.version) return `${key} is ${entry.version}, package-lock.json says ${locked[key].version}`;
  }
  for (const [key, entry] of Object.entries(locked)) {
    // Optional packages for other platforms (esbuild's, for one) are never installed.
    if (key && !installed[key] && !entry.optional && !entry.devOptional && !entry.peer) return `${key} is not installed`;
  }
  return null;
}

module.exports = { staleReason };

if (require.main === module) {
  const root = path.join(__dirname, '..');
  const reason = staleReason(root);
  if (!reason) {
    console.log('node_modules matches package-lock.json: skipping npm ci');
    process.exit(0);
  }
  console.log(`${reason}: running npm ci`);
  const result = spawnSync('npm', ['ci'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  process.exit(result.status === null ? 1 : result.status);
}
