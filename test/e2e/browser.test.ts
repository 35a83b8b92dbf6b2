/**
 * The README's front-end snippet in a real browser: a page on 127.0.0.1 runs it (test/e2e/browser/front-end.js,
 * the same code with only the URLs differing) with the SDK's own ES modules, in headless Chromium driven by
 * playwright-core (Debian's `chromium` at /usr/bin/chromium; browsers cannot be downloaded here). It gets its token
 * from the BUNDLED vendor behind the simulated JWT authorizer and chats with a Node client through the messaging
 * stand-in. Without a browser the test is skipped with the reason printed, except under CI=true, where that fails.
 */
import './websocket-global';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { pageCodeAsReadme, PAGE_DIR, PAGE_MODULE, readmeFrontEndSnippet } from './front-end-snippet';
import { EndToEndWorld } from './harness';
import { Viewer } from './node-viewer';

const BROWSER_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const BROWSER_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
/** A package's root directory (their `exports` hide package.json), resolved as the SDK itself resolves it. */
function packageRoot(name: string, from?: string): string {
  const entry = require.resolve(name, from ? { paths: [from] } : undefined);
  return entry.slice(0, entry.lastIndexOf(`${path.sep}node_modules${path.sep}${name}${path.sep}`)) + `${path.sep}node_modules${path.sep}${name}`;
}
const SDK_DIR = packageRoot('amazon-ivs-chat-messaging');
const UUID_DIR = packageRoot('uuid', SDK_DIR);

describe('the README snippet and the page', () => {
  test('the page runs the README\'s front-end snippet: same code, only the URLs differ', () => {
    expect(pageCodeAsReadme()).toBe(readmeFrontEndSnippet());
  });

  test('a change to either side is drift', () => {
    const readme = readmeFrontEndSnippet();
    const page = fs.readFileSync(PAGE_MODULE, 'utf8');
    expect(pageCodeAsReadme(page.replace('sessionDurationInMinutes: 20', 'sessionDurationInMinutes: 30'), readme)).not.toBe(readme);
    const editedReadme = readme.replace('room.connect();', 'room.connect(); // edited');
    expect(pageCodeAsReadme(page, editedReadme)).not.toBe(editedReadme);
  });
});

const browserMissing = fs.existsSync(BROWSER_PATH) ? undefined
  : `no browser at ${BROWSER_PATH}: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`;
if (browserMissing && process.env.CI === 'true') {
  test('a browser is available (required under CI)', () => {
    throw new Error(browserMissing);
  });
} else if (browserMissing) {
  // eslint-disable-next-line no-console
  console.warn(`Skipping the browser test: ${browserMissing}`);
}

(browserMissing ? describe.skip : describe)('in headless Chromium', () => {
  let world: EndToEndWorld;
  let browser: Browser;
  let page: Page;
  const consoleLines: string[] = [];

  beforeAll(async () => {
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    [world, browser] = await Promise.all([
      EndToEndWorld.start(),
      chromium.launch({ executablePath: BROWSER_PATH, args: BROWSER_FLAGS, timeout: 30_000 }),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await world?.stop();
  });

  test('the snippet gets a vendor token for the signed-in user, connects, sends, and logs what others say', async () => {
    // GIVEN a room, a vendor for it, and the page (the README's snippet) served beside the vendor's HTTP API
    const room = world.standIn.seedRoom({ name: 'lobby' });
    world.useVendor({ rooms: [room] });
    world.api.serve('/', { contentType: 'text/html', body: fs.readFileSync(path.join(PAGE_DIR, 'index.html')) });
    world.api.serve('/front-end.js', { contentType: 'text/javascript', body: fs.readFileSync(PAGE_MODULE) });
    world.api.serve('/config.js', {
      contentType: 'text/javascript',
      // idToken stands for the ID token the page's sign-in gave it: the simulated JWT authorizer makes it the claims of "ana"
      body: `var TOKEN_URL = ${JSON.stringify(world.api.tokenUrl)};\nvar CHAT_URL = ${JSON.stringify(world.messaging.url)};\n`
        + `var LOBBY_ARN = ${JSON.stringify(room.arn)};\nvar idToken = 'ana';\n`,
    });
    world.api.serveDirectory('/sdk', path.join(SDK_DIR, 'dist', 'esm'));
    world.api.serveDirectory('/uuid', path.join(UUID_DIR, 'dist', 'esm-browser'));
    const bo = new Viewer(world, 'bo', {});
    await bo.join();

    // WHEN the browser opens the page
    page = await browser.newPage();
    page.on('console', (message) => consoleLines.push(message.text()));
    page.on('pageerror', (error) => consoleLines.push(`pageerror: ${error.message}`));
    await page.goto(world.api.origin);

    // THEN it connects with a token the vendor issued to "ana" for the lobby, for the snippet's 20 minutes
    await page.waitForFunction('window.chat !== undefined && window.chat.room.state === "connected"', undefined, { timeout: 15_000 });
    const browserEvent = world.api.events.find((e) => e.requestContext.authorizer.jwt.claims.sub === 'ana');
    expect(browserEvent).toMatchObject({ requestContext: { http: { method: 'POST', path: '/token' } }, headers: { origin: world.api.origin } });
    expect(JSON.parse(browserEvent!.body)).toEqual({ roomArn: room.arn, sessionDurationInMinutes: 20 });
    expect(world.standIn.issuedTokens().find((t) => t.userId === 'ana')).toMatchObject({ roomArn: room.arn, sessionDurationInMinutes: 20 });
    expect(world.messaging.connections(room.arn).map((c) => c.userId).sort()).toEqual(['ana', 'bo']);

    // and what it sends reaches the Node client as ana's
    const sent = await page.evaluate(`window.chat.room.sendMessage(new window.chat.SendMessageRequest('hello from Chromium'))
      .then((m) => ({ id: m.id, userId: m.sender.userId, content: m.content }))`) as { id: string; userId: string; content: string };
    expect(sent).toEqual({ id: expect.any(String), userId: 'ana', content: 'hello from Chromium' });
    await waitFor(() => bo.messages.length === 1);
    expect(bo.messages[0]).toMatchObject({ id: sent.id, content: 'hello from Chromium', sender: { userId: 'ana' } });

    // and the snippet's listener logs what bo says
    await bo.send('hi Chromium');
    await waitFor(() => consoleLines.includes('bo: hi Chromium'));
    expect(consoleLines.filter((line) => line.startsWith('pageerror'))).toEqual([]);

    bo.room.disconnect();
    await page.close();
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('waitFor: condition still false');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
