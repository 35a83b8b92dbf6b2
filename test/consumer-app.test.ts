import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// The library as a user gets it: compiled with jsii and packed, installed into a new CDK app with the toolchain and
// the lowest aws-cdk-lib the README names, and run. Slow (a jsii compile and an npm install), so one file, built once.
const ROOT = path.join(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

/** The README section under `## title`, up to the next `## `. */
function readmeSection(title: string): string {
  const start = README.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README has no "## ${title}" section`);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

/** The package specs of the `npm install` lines in the README's Install section, with their comments dropped. */
function readmeInstallSpecs(): { deps: string[]; devDeps: string[] } {
  const block = readmeSection('Install').match(/```sh\n([\s\S]*?)```/);
  if (!block) throw new Error('README Install section has no sh block');
  const deps: string[] = [];
  const devDeps: string[] = [];
  for (const line of block[1].split('\n').map((l) => l.replace(/#.*$/, '').trim()).filter(Boolean)) {
    const words = line.split(/\s+/);
    if (words[0] !== 'npm' || words[1] !== 'install') throw new Error(`not an npm install line: ${line}`);
    const dev = words.includes('-D');
    (dev ? devDeps : deps).push(...words.slice(2).filter((w) => !w.startsWith('-')));
  }
  return { deps, devDeps };
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  return execFileSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** The error a command ends with: its stderr (it must fail). */
function runFailing(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  try {
    run(cmd, args, cwd, env);
  } catch (e) {
    return String((e as { stderr?: string }).stderr);
  }
  throw new Error(`${cmd} ${args.join(' ')} succeeded, expected a failure`);
}

interface Packed { tarball: string; size: number; unpackedSize: number; files: string[] }

/** Compiles a copy of the library with the compile task's own command and packs it, as `npx projen package:js` does. */
function buildAndPack(work: string): Packed {
  const copy = path.join(work, 'library');
  fs.mkdirSync(copy);
  for (const f of ['package.json', '.npmignore', 'tsconfig.json', 'README.md', 'LICENSE', 'API.md']) {
    fs.copyFileSync(path.join(ROOT, f), path.join(copy, f));
  }
  // The test task bundles first, so assets/ holds this tree's handlers.
  for (const d of ['src', 'assets']) fs.cpSync(path.join(ROOT, d), path.join(copy, d), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');

  const tasks = JSON.parse(fs.readFileSync(path.join(ROOT, '.projen', 'tasks.json'), 'utf8')).tasks;
  const compile: string = tasks.compile.steps[0].exec;
  run('sh', ['-c', compile], copy, {
    PATH: `${path.join(ROOT, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH}`,
    JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20',
  });

  const out = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], copy))[0];
  return {
    tarball: path.join(work, out.filename),
    size: out.size,
    unpackedSize: out.unpackedSize,
    files: (out.files as Array<{ path: string }>).map((f) => f.path),
  };
}

const APP = `import { App, Stack } from 'aws-cdk-lib';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ChatTokenVendor, FallbackResult, LoggingConfiguration, LoggingDestination, Room } from 'cdk-ivs-chat';

const app = new App();
const stack = new Stack(app, 'ChatApp');
const bucket = new s3.Bucket(stack, 'Archive');
const stream = new firehose.DeliveryStream(stack, 'Stream', { destination: new firehose.S3Bucket(bucket) });
const configurations = [
  new LoggingConfiguration(stack, 'ToLogs', { destination: LoggingDestination.cloudWatchLogs(new logs.LogGroup(stack, 'ChatLogs')) }),
  new LoggingConfiguration(stack, 'ToS3', { destination: LoggingDestination.s3(bucket) }),
  new LoggingConfiguration(stack, 'ToFirehose', { destination: LoggingDestination.firehose(stream) }),
];
const reviewer = new lambda.Function(stack, 'Reviewer', {
  runtime: lambda.Runtime.NODEJS_24_X,
  handler: 'index.handler',
  code: lambda.Code.fromInline('exports.handler = async () => ({ ReviewResult: "ALLOW" });'),
});
const room = new Room(stack, 'Lobby', {
  maximumMessageLength: MAX_LENGTH,
  loggingConfigurations: configurations,
  messageReviewHandler: { handler: reviewer, fallbackResult: FallbackResult.DENY },
});
room.grantCreateChatToken(new iam.Role(stack, 'Backend', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }));
new ChatTokenVendor(stack, 'Vendor', { rooms: [room] });
app.synth();
`;

// What \`cdk init app --language typescript\` writes, in short.
const APP_TSCONFIG = {
  compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true },
};

let work: string;
let packed: Packed;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ivs-chat-consumer-'));
  packed = buildAndPack(work);
}, 600_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test("the README's package sizes are within 10% of the packed library, which has no source maps", () => {
  // GIVEN
  const figures = readmeSection('Install').match(/about (\d+) kB packed, (\d+) kB unpacked/);
  expect(figures).not.toBeNull();
  const [packedKb, unpackedKb] = [Number(figures![1]), Number(figures![2])];

  // THEN (a failure names the figures to write)
  const within = (actual: number, stated: number) => Math.abs(actual / 1000 - stated) <= stated / 10;
  const actual = `about ${Math.round(packed.size / 1000)} kB packed, ${Math.round(packed.unpackedSize / 1000)} kB unpacked`;
  expect(within(packed.size, packedKb) && within(packed.unpackedSize, unpackedKb) ? figures![0] : actual).toEqual(figures![0]);
  expect(packed.files).toEqual(expect.arrayContaining(['.jsii', 'lib/index.js', 'lib/room.js', 'lib/private/validation.js']));
  expect(packed.files.filter((f) => f.endsWith('.map'))).toEqual([]);
});

test('a new CDK app with the README toolchain and the lowest aws-cdk-lib synthesizes, and its traces name shipped files', () => {
  // GIVEN a new app: the packed library, the README's install lines, and the peer dependencies at their lowest versions
  const app = path.join(work, 'app');
  fs.mkdirSync(path.join(app, 'bin'), { recursive: true });
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'chat-app', version: '0.0.0', private: true }));
  fs.writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify(APP_TSCONFIG));
  fs.writeFileSync(path.join(app, 'bin', 'app.ts'), APP.replace('MAX_LENGTH', '300'));
  fs.writeFileSync(path.join(app, 'bin', 'invalid.ts'), APP.replace('MAX_LENGTH', '501'));
  const { deps, devDeps } = readmeInstallSpecs();
  expect(deps).toEqual([PKG.name]);
  expect(devDeps).toEqual(expect.arrayContaining([expect.stringMatching(/^tsx@/), expect.stringMatching(/^typescript@/)]));
  const peers = Object.entries(PKG.peerDependencies as Record<string, string>)
    .map(([name, range]) => `${name}@${range.replace(/^[\^~]/, '')}`);
  const install = ['install', '--no-audit', '--no-fund', '--prefer-offline'];
  run('npm', [...install, packed.tarball, ...peers], app);
  run('npm', [...install, '-D', ...devDeps], app);
  expect(JSON.parse(fs.readFileSync(path.join(app, 'node_modules', 'aws-cdk-lib', 'package.json'), 'utf8')).version)
    .toEqual(PKG.peerDependencies['aws-cdk-lib'].replace(/^[\^~]/, ''));

  // WHEN the app runs as `cdk synth` runs it, with tsx and with ts-node (which type-checks it too)
  const synth = (runner: string): string[] => {
    const outdir = path.join(app, `cdk.out.${runner}`);
    run('npx', ['--no-install', runner, 'bin/app.ts'], app, { CDK_OUTDIR: outdir });
    const template = JSON.parse(fs.readFileSync(path.join(outdir, 'ChatApp.template.json'), 'utf8'));
    return Object.values(template.Resources as Record<string, { Type: string }>).map((r) => r.Type).sort();
  };
  const types = synth('tsx');

  // THEN
  expect(types).toEqual(expect.arrayContaining(['Custom::IvsChatRoom', 'Custom::IvsChatLoggingConfiguration', 'AWS::Lambda::Function']));
  expect(synth('ts-node')).toEqual(types);

  // WHEN an invalid app runs, THEN the trace points at the package's files, all of which it ships
  const stderr = runFailing('npx', ['--no-install', 'tsx', 'bin/invalid.ts'], app, { CDK_OUTDIR: path.join(app, 'cdk.out.invalid') });
  expect(stderr).toContain('`maximumMessageLength` must be an integer between 1 and 500. Received 501');
  const frames = [...stderr.matchAll(/node_modules\/cdk-ivs-chat\/([^\s:)]+):\d+/g)].map((m) => m[1]);
  expect(frames).toEqual(expect.arrayContaining([expect.stringMatching(/^lib\/.+\.js$/)]));
  expect(frames.filter((f) => !fs.existsSync(path.join(app, 'node_modules', 'cdk-ivs-chat', f)))).toEqual([]);
}, 600_000);
