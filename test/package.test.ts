import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import * as ts from 'typescript';
import { ExampleChatStack } from '../example/example-stack';

// What npm would put in the tarball (jsii-pacmak packs with `npm pack` too), checked without building it.
const ROOT = path.join(__dirname, '..');

/** Everything the package may hold: the compiled library (not its handlers), their bundles, the jsii assembly, the docs. */
const SHIPPABLE = /^(lib\/(?!handlers\/).+\.(js|d\.ts)|assets\/handlers\/[^/]+\/[^/]+\.lambda\/index\.js|\.jsii|API\.md|README\.md|LICENSE|package\.json)$/;

const BUNDLES = ['assets/handlers/message-review/message-review.lambda/index.js', 'assets/handlers/provider/provider.lambda/index.js',
  'assets/handlers/token-vendor/token-vendor.lambda/index.js'];

/** The file list of `npm pack --dry-run` in `dir`, which honours .npmignore exactly as a real pack does. */
function packedFiles(dir: string): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return (JSON.parse(out)[0].files as Array<{ path: string }>).map((f) => f.path).sort();
}

/** Every file under `dir` relative to it, skipping node_modules and git. */
function treeFiles(dir: string, rel = ''): string[] {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const p = path.posix.join(rel, e.name);
    if (e.name === 'node_modules' || e.name === '.git') return [];
    return e.isDirectory() ? treeFiles(dir, p) : [p];
  });
}

/** Synthesizes the example app into cdk.out as `npx cdk synth` would (cdk.json's context), unless a synth already did. */
function ensureExampleSynth(): { outdir: string; made: boolean } {
  const outdir = path.join(ROOT, 'cdk.out');
  if (fs.existsSync(path.join(outdir, 'manifest.json'))) return { outdir, made: false };
  const cdkJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8'));
  const app = new App({ outdir, context: cdkJson.context });
  new ExampleChatStack(app, 'IvsChatExample');
  app.synth();
  return { outdir, made: true };
}

test('after an example synth, the package holds only the library, its bundles, its assembly and its docs', () => {
  // GIVEN a cloud assembly in cdk.out (the test task bundles assets/ first)
  const { outdir, made } = ensureExampleSynth();
  try {
    expect(fs.readdirSync(outdir)).toContain('IvsChatExample.template.json');

    // WHEN
    const files = packedFiles(ROOT);

    // THEN
    expect(files.filter((f) => !SHIPPABLE.test(f))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['API.md', 'LICENSE', 'README.md', 'package.json', ...BUNDLES]));
    // lib/ and .jsii of a real build: test/consumer-app.test.ts compiles and packs one.
  } finally {
    if (made) fs.rmSync(outdir, { recursive: true, force: true });
  }
});

test('after a full build, a synth and a pack, the package holds every compiled module and nothing else', () => {
  // GIVEN this tree's file names, plus what compile, bundle, synth, test, package and a plain `npm pack` write
  // (empty files except the two that decide: package.json and .npmignore)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ivs-chat-pack-'));
  try {
    const modules = treeFiles(ROOT).filter((f) => /^src\/.+(?<!\.d)\.ts$/.test(f)).map((f) => f.replace(/^src\/(.+)\.ts$/, 'lib/$1'));
    const built = [
      ...modules.flatMap((m) => [`${m}.js`, `${m}.d.ts`, `${m}.d.ts.map`, `${m}.js.map`]),
      '.jsii', 'tsconfig.tsbuildinfo', ...BUNDLES,
      'cdk.out/manifest.json', 'cdk.out/IvsChatExample.template.json', 'cdk.out/asset.0123abcd.lambda/index.js',
      'cdk.context.json', 'example/cdk.out/manifest.json', 'bench/results/latest.md',
      'test-reports/junit.xml', 'coverage/lcov.info', 'dist/js/cdk-ivs-chat@0.0.0.jsii.tgz', 'cdk-ivs-chat-0.0.0.tgz',
    ];
    for (const f of new Set([...treeFiles(ROOT), ...built])) {
      fs.mkdirSync(path.join(dir, path.dirname(f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), '');
    }
    for (const f of ['package.json', '.npmignore']) fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));

    // WHEN
    const files = packedFiles(dir);

    // THEN
    const libraryModules = modules.filter((m) => !m.startsWith('lib/handlers/'));
    expect(libraryModules).toEqual(expect.arrayContaining(['lib/index', 'lib/room']));
    expect(files).toEqual([
      '.jsii', 'API.md', 'LICENSE', 'README.md', ...BUNDLES,
      ...libraryModules.flatMap((m) => [`${m}.d.ts`, `${m}.js`]),
      'package.json',
    ].sort());
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('jsii compiles lib/*.js without source maps, so a stack trace names a shipped lib/ file, not an unshipped src/ one', () => {
  // GIVEN the compiler options jsii compiles the package with (package.json's jsii.tsconfig)
  const tsconfig = path.join(ROOT, JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).jsii.tsconfig);
  const { config } = ts.readConfigFile(tsconfig, ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, ROOT);
  const source = path.join(ROOT, 'src', 'private', 'validation.ts');

  // WHEN
  const js = ts.transpileModule(fs.readFileSync(source, 'utf8'), { compilerOptions: options, fileName: source }).outputText;

  // THEN
  expect(js).toContain('validateRange');
  expect(js).not.toMatch(/sourceMappingURL/);
  expect(options).toEqual(expect.not.objectContaining({ sourceMap: true }));
  expect(options).toEqual(expect.not.objectContaining({ inlineSourceMap: true }));
});
