/**
 * `cdk-ivs-chat/testing` is a Node.js entry point beside the jsii library: importing `cdk-ivs-chat` alone loads
 * no WebSocket or HTTP server code, the jsii assembly and API.md know nothing of it, and the package declares
 * its `ws` (and the SDK its types name) as optional peers.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const TESTING_NAMES = ['LocalIvsChat', 'IvsChatStandIn', 'MessagingEndpoint'];

interface Loaded {
  /** Files in require.cache, relative to the repository. */
  readonly files: string[];
  /** Node's built-in modules the require loaded (process.moduleLoadList's `NativeModule x`). */
  readonly builtins: string[];
}

/** What a fresh Node process has loaded after requiring `entry` (TypeScript through ts-node, transpile only). */
function loadedBy(entry: string): Loaded {
  const script = `
    require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });
    // Only what the require adds: Node's own bootstrap loads net when stdio is a pipe.
    const before = new Set(process.moduleLoadList);
    require(${JSON.stringify(path.join(ROOT, entry))});
    const path = require('node:path');
    const loaded = JSON.stringify({
      files: Object.keys(require.cache).map((f) => path.relative(${JSON.stringify(ROOT)}, f).split(path.sep).join('/')),
      builtins: process.moduleLoadList.filter((m) => !before.has(m) && m.startsWith('NativeModule ')).map((m) => m.slice('NativeModule '.length)),
    });
    process.stdout.write(loaded);`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' })) as Loaded;
}

/** What of `loaded` is server code: the ws package, the testing sources, Node's HTTP and socket modules. */
function serverCode(loaded: Loaded): string[] {
  return [
    ...loaded.files.filter((f) => /^node_modules\/ws\/|^src\/testing\//.test(f)),
    ...loaded.builtins.filter((m) => ['http', 'https', 'net', '_http_server'].includes(m)),
  ];
}

test('importing the library loads no WebSocket or HTTP server code; importing the testing entry point does', () => {
  // WHEN
  const library = loadedBy('src/index.ts');
  const testing = loadedBy('src/testing/index.ts');

  // THEN
  expect(library.files).toContain('src/room.ts');
  expect(serverCode(library)).toEqual([]);
  // the same check sees the testing entry point's server code, so it would see it in the library too
  expect(serverCode(testing)).toEqual(expect.arrayContaining(['node_modules/ws/index.js', 'src/testing/messaging.ts', 'http', '_http_server']));
});

test('no module of the library imports the testing code', () => {
  const offending: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (file !== path.join(ROOT, 'src', 'testing')) walk(file);
      } else if (/\.ts$/.test(entry.name) && /from '[./]*testing|require\('[./]*testing|cdk-ivs-chat\/testing/.test(fs.readFileSync(file, 'utf8'))) {
        offending.push(path.relative(ROOT, file));
      }
    }
  };
  walk(path.join(ROOT, 'src'));
  expect(offending).toEqual([]);
});

test('the jsii API (API.md, and the assembly once compiled) has none of the testing entry point\'s types', () => {
  const apiMd = fs.readFileSync(path.join(ROOT, 'API.md'), 'utf8');
  expect(TESTING_NAMES.filter((name) => apiMd.includes(name))).toEqual([]);
  expect(apiMd).toContain('ChatTokenVendor');
  const jsii = path.join(ROOT, '.jsii');
  if (fs.existsSync(jsii)) {
    const types = Object.keys(JSON.parse(fs.readFileSync(jsii, 'utf8')).types as Record<string, unknown>);
    expect(types).toContain('cdk-ivs-chat.Room');
    expect(types.filter((fqn) => TESTING_NAMES.some((name) => fqn.endsWith(`.${name}`)))).toEqual([]);
  }
});

test('package.json exports the testing entry point with its types, and declares ws and the SDK as optional peers only', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  expect(pkg.exports['./testing']).toEqual({ types: './lib/testing/index.d.ts', default: './lib/testing/index.js' });
  expect(pkg.exports['.']).toEqual({ types: './lib/index.d.ts', default: './lib/index.js' });
  expect(pkg.peerDependenciesMeta).toEqual({ 'ws': { optional: true }, '@aws-sdk/client-ivschat': { optional: true } });
  // jsii resolves every peerDependencies entry as a jsii assembly, and neither is one
  expect([pkg.peerDependencies.ws, pkg.dependencies?.ws, pkg.peerDependencies['@aws-sdk/client-ivschat']]).toEqual([undefined, undefined, undefined]);
});
