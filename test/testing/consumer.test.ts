/**
 * The testing entry point as a user gets it: this tree compiled by jsii and packed by npm (in a copy, so the
 * working tree's lib/ and .jsii are left alone), installed from the tarball in a fresh folder outside the
 * project with the SDKs a user has, then a TypeScript test of theirs is type-checked against the shipped
 * declarations and run with Node. Needs the handler bundles (`npx projen bundle`) and the npm registry (or
 * npm's cache) for the consumer's packages.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');

/** What the consumer installs besides the tarball, at the versions this project tests with (so npm's cache serves them). */
const CONSUMER_PACKAGES = ['aws-cdk-lib', 'constructs', '@aws-sdk/client-ivschat', 'amazon-ivs-chat-messaging', 'ws', '@types/ws', '@types/node'];

/** Files a jsii compile and an npm pack of this package read. */
const PACKAGE_INPUTS = ['package.json', '.npmignore', 'tsconfig.json', 'README.md', 'LICENSE', 'API.md', 'src', 'assets'];

const REVIEW_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:review';

/** The user's test: what the README's "Test your chat app without AWS" describes, end to end. */
const CONSUMER_TEST = `
import './websocket-global';
import { CreateChatTokenCommand, CreateRoomCommand, IvschatClient, SendEventCommand } from '@aws-sdk/client-ivschat';
import { ChatEvent, ChatMessage, ChatRoom, SendMessageRequest } from 'amazon-ivs-chat-messaging';
import { LocalIvsChat, ReviewEvent } from 'cdk-ivs-chat/testing';

async function main(): Promise<void> {
  const reviewArn = ${JSON.stringify(REVIEW_ARN)};
  const chat = await LocalIvsChat.start({
    reviewHandlers: {
      [reviewArn]: async (event: ReviewEvent) => ({ ReviewResult: 'ALLOW', Content: event.Content.replace(/darn/g, '****') }),
    },
  });
  const client = new IvschatClient({ region: chat.region, endpoint: chat.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const { arn } = await client.send(new CreateRoomCommand({ name: 'lobby', messageReviewHandler: { uri: reviewArn } }));

  const room = new ChatRoom({
    regionOrUrl: chat.messagingUrl,
    tokenProvider: async () => {
      const t = await client.send(new CreateChatTokenCommand({ roomIdentifier: arn, userId: 'ana', capabilities: ['SEND_MESSAGE'] }));
      return { token: t.token!, tokenExpirationTime: t.tokenExpirationTime, sessionExpirationTime: t.sessionExpirationTime };
    },
  });
  room.logLevel = 'error';
  const received: ChatMessage[] = [];
  const events: ChatEvent[] = [];
  room.addListener('message', (m) => received.push(m));
  room.addListener('event', (e) => events.push(e));
  await new Promise<void>((resolve) => {
    room.addListener('connect', () => resolve());
    room.connect();
  });

  const sent = await room.sendMessage(new SendMessageRequest('darn it'));
  await client.send(new SendEventCommand({ roomIdentifier: arn, eventName: 'app:score', attributes: { home: '2' } }));
  for (let i = 0; i < 200 && (received.length < 1 || events.length < 1); i++) await new Promise((r) => setTimeout(r, 10));
  room.disconnect();

  // the library's token vendor loads from its shipped bundle, its SDK resolved from this project
  const vendorLoads = typeof chat.tokenVendor({}) === 'function';
  const result = {
    vendorLoads,
    endpoint: chat.endpoint,
    messagingUrl: chat.messagingUrl,
    sent: sent.content,
    received: received.map((m) => [m.content, m.sender.userId]),
    events: events.map((e) => [e.eventName, e.attributes]),
    messages: chat.messages(arn).map((m) => m.content),
    tokens: chat.issuedTokens().map((t) => [t.roomArn === arn, t.userId]),
  };
  await chat.stop();
  process.stdout.write(JSON.stringify(result));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
`;

/** Node 20 has no global WebSocket; the chat SDK needs one (the README says so). */
const WEBSOCKET_GLOBAL = `
import { WebSocket } from 'ws';
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
`;

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' } });
}

function installedVersion(name: string): string {
  return (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Compiles this tree with jsii in a copy and packs it; returns the tarball's path. */
function packLibrary(work: string): string {
  const copy = path.join(work, 'library');
  fs.mkdirSync(copy);
  for (const entry of PACKAGE_INPUTS) fs.cpSync(path.join(ROOT, entry), path.join(copy, entry), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
  run(process.execPath, [path.join(ROOT, 'node_modules', 'jsii', 'bin', 'jsii'), '--silence-warnings=reserved-word'], copy);
  const packed = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], copy)) as Array<{ filename: string }>;
  return path.join(work, packed[0].filename);
}

/** Type errors of the consumer's files and of the package's shipped declarations, resolved as Node16 resolves them. */
function typeErrors(dir: string, files: string[]): string[] {
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    strict: true,
    noEmit: true,
    types: ['node'],
  });
  const shipped = path.join(dir, 'node_modules', 'cdk-ivs-chat') + path.sep;
  return program.getSourceFiles()
    .filter((f) => files.includes(f.fileName) || f.fileName.startsWith(shipped))
    .flatMap((f) => ts.getPreEmitDiagnostics(program, f))
    .map((d) => `${d.file ? path.relative(dir, d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

test('a fresh project installs the packed tarball, type-checks and runs a chat test against LocalIvsChat with the real SDKs', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ivs-chat-consumer-'));
  try {
    // GIVEN the packed library, installed in a folder outside the project with what a user's test needs
    for (const bundle of ['provider', 'token-vendor']) {
      if (!fs.existsSync(path.join(ROOT, 'assets', 'handlers', bundle, `${bundle}.lambda`, 'index.js'))) throw new Error('run `npx projen bundle` first');
    }
    const tarball = packLibrary(work);
    const app = path.join(work, 'app');
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', tarball,
      ...CONSUMER_PACKAGES.map((name) => `${name}@${installedVersion(name)}`)], app);
    const files = { 'chat.test.ts': CONSUMER_TEST, 'websocket-global.ts': WEBSOCKET_GLOBAL };
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(app, name), text);

    // WHEN the user's TypeScript is checked against the shipped declarations
    const errors = typeErrors(app, Object.keys(files).map((name) => path.join(app, name)));

    // THEN
    expect(errors).toEqual([]);

    // WHEN it is compiled and run
    for (const [name, text] of Object.entries(files)) {
      const js = ts.transpileModule(text, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
      fs.writeFileSync(path.join(app, name.replace(/\.ts$/, '.js')), js);
    }
    const result = JSON.parse(run(process.execPath, ['chat.test.js'], app));
    // and, in another process, the library alone is required
    const libraryOnly = JSON.parse(run(process.execPath, ['-e',
      "require('cdk-ivs-chat'); process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((f) => /node_modules[\\\\/](ws|cdk-ivs-chat[\\\\/]lib[\\\\/]testing)[\\\\/]/.test(f))))"], app));

    // THEN
    expect(result).toEqual({
      vendorLoads: true,
      endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      messagingUrl: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+$/),
      sent: '**** it',
      received: [['**** it', 'ana']],
      events: [['app:score', { home: '2' }]],
      messages: ['**** it'],
      tokens: [[true, 'ana']],
    });
    expect(libraryOnly).toEqual([]);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}, 600_000);
