import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';

// Every TypeScript snippet in the README must compile against the library as it is.
const ROOT = path.join(__dirname, '..');

/** Declarations the snippets take for granted, under names no snippet imports. */
const FIXTURE_HEADER = `
import * as fx_cdk from 'aws-cdk-lib';
import * as fx_lambda from 'aws-cdk-lib/aws-lambda';
import * as fx_logs from 'aws-cdk-lib/aws-logs';
import * as fx_s3 from 'aws-cdk-lib/aws-s3';
import * as fx_constructs from 'constructs';
import * as fx_lib from 'cdk-ivs-chat';
declare const reviewFn: fx_lambda.IFunction;
declare const bucket: fx_s3.IBucket;
declare const logGroup: fx_logs.ILogGroup;
declare const lobby: fx_lib.Room;
declare const support: fx_lib.IRoom;
declare const backendRole: fx_cdk.aws_iam.IRole;
`;

function readmeSnippets(): string[] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
}

/** A module for one snippet: its imports first, the rest inside a stack's constructor. */
function fixture(snippet: string): string {
  const lines = snippet.split('\n');
  const imports = lines.filter((l) => l.startsWith('import '));
  const body = lines.filter((l) => !l.startsWith('import '));
  return `${imports.join('\n')}\n${FIXTURE_HEADER}\nexport class Fixture extends fx_cdk.Stack {\n` +
    `  constructor(scope: fx_constructs.Construct, id: string) {\n    super(scope, id);\n${body.join('\n')}\n  }\n}\n`;
}

function compileErrors(files: Record<string, string>): string[] {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
    baseUrl: ROOT,
    paths: { 'cdk-ivs-chat': ['src/index.ts'], 'cdk-ivs-chat/testing': ['src/testing/index.ts'] },
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, onError) => (files[name] !== undefined
    ? ts.createSourceFile(name, files[name], version)
    : getSourceFile(name, version, onError));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => files[name] !== undefined || fileExists(name);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => files[name] ?? readFile(name);
  const program = ts.createProgram(Object.keys(files), options, host);
  return ts.getPreEmitDiagnostics(program)
    .filter((d) => d.file && files[d.file.fileName] !== undefined)
    .map((d) => `${path.basename(d.file!.fileName)}:${d.file!.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ` +
      ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

test('the README has TypeScript snippets to check', () => {
  expect(readmeSnippets().length).toBeGreaterThanOrEqual(4);
});

test('every TypeScript snippet in the README compiles, and a broken one would not', () => {
  // GIVEN
  const files: Record<string, string> = {};
  readmeSnippets().forEach((snippet, i) => {
    files[path.join(ROOT, 'test', `readme-snippet-${i + 1}.ts`)] = fixture(snippet);
  });
  // Proves the check is live, in the same program (type-checking aws-cdk-lib is the slow part).
  files[path.join(ROOT, 'test', 'readme-snippet-broken.ts')] =
    fixture("import { Room } from 'cdk-ivs-chat';\nnew Room(this, 'R', { roomNameTypo: 'x' });");

  // WHEN
  const errors = compileErrors(files);

  // THEN
  expect(errors).toEqual([expect.stringMatching(/^readme-snippet-broken\.ts:\d+: .*roomNameTypo/)]);
});

/** The commands of the README's Quick start, comments dropped. */
function quickStartCommands(): string[] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Quick start\n'), readme.indexOf('\n## Install\n'));
  const block = section.match(/```sh\n([\s\S]*?)```/);
  return block ? block[1].split('\n').map((l) => l.replace(/#.*$/, '').trim()).filter(Boolean) : [];
}

const INSTALL = 'node scripts/install-if-stale.js';

test("the README's Quick start commands each install first, and .ci/run runs its test command", () => {
  // GIVEN
  const commands = quickStartCommands();
  const ci = fs.readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8').split('\n').map((l) => l.trim());

  // THEN
  expect(commands).toHaveLength(2);
  for (const c of commands) expect(c.startsWith(`${INSTALL} && `)).toBe(true);
  const testCommand = commands.find((c) => / npm test$/.test(c));
  expect(testCommand).toBeDefined();
  expect(ci).toContain(`${testCommand} || status=1`);
});

describe('scripts/install-if-stale.js', () => {
  /** Runs the script in `root` with an `npm` on PATH that only records its arguments; returns them. */
  function npmCalls(root: string): string[] {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-npm-'));
    const log = path.join(bin, 'calls');
    try {
      fs.writeFileSync(path.join(bin, 'npm'), `#!/bin/sh\necho "$*" >> "${log}"\n`, { mode: 0o755 });
      execFileSync('node', [path.join(root, 'scripts', 'install-if-stale.js')], {
        cwd: root,
        stdio: 'ignore',
        env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` },
      });
      return fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
  }

  /** A project with one locked dependency, `dep` at 1.0.0, and one optional package for another platform. */
  function projectFixture(installed?: Record<string, { version: string }>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'install-if-stale-'));
    fs.mkdirSync(path.join(dir, 'scripts'));
    fs.copyFileSync(path.join(ROOT, 'scripts', 'install-if-stale.js'), path.join(dir, 'scripts', 'install-if-stale.js'));
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'p', devDependencies: { dep: '^1.0.0' } }));
    fs.writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify({
      lockfileVersion: 3,
      packages: {
        '': { name: 'p', devDependencies: { dep: '^1.0.0' } },
        'node_modules/dep': { version: '1.0.0', dev: true },
        'node_modules/@esbuild/win32-x64': { version: '0.28.2', dev: true, optional: true },
      },
    }));
    if (installed) {
      fs.mkdirSync(path.join(dir, 'node_modules'));
      fs.writeFileSync(path.join(dir, 'node_modules', '.package-lock.json'), JSON.stringify({ lockfileVersion: 3, packages: installed }));
    }
    return dir;
  }

  test.each([
    ['no node_modules', ['ci'], undefined],
    ['node_modules as locked (the optional package for another platform absent)', [], { 'node_modules/dep': { version: '1.0.0' } }],
    ['another version installed', ['ci'], { 'node_modules/dep': { version: '1.1.0' } }],
    ['a locked package missing', ['ci'], {}],
    ['an extra package installed', ['ci'], { 'node_modules/dep': { version: '1.0.0' }, 'node_modules/x': { version: '1.0.0' } }],
  ])('with %s, runs npm %j', (_name, expected, installed) => {
    const dir = projectFixture(installed);
    try {
      expect(npmCalls(dir)).toEqual(expected);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('after npm ci in this tree, installs nothing (the second Quick start command does not reinstall)', () => {
    expect(npmCalls(ROOT)).toEqual([]);
  });
});
