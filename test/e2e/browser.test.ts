/**
 * The README's front-end snippet in a real browser: a page runs it (test/e2e/browser/front-end.js, the same code
 * with only the URLs differing) with the SDK's own ES modules, in headless Chromium driven by playwright-core
 * (Debian's `chromium` at /usr/bin/chromium; browsers cannot be downloaded here). The page is served from another
 * origin than the token endpoint, so Chromium sends the CORS preflight as it does in production. The endpoint is
 * the README's recommended wiring: an HTTP API with no authorizer in front of the BUNDLED vendor, which verifies
 * the page's bearer token itself (an OIDC issuer whose keys a local HTTPS server holds). The page chats with a
 * Node client through the messaging stand-in. Waits are on events and conditions, bounded only by the test's
 * timeout. Without a browser the test is skipped with the reason printed, except under CI=true, where that fails.
 */
import './websocket-global';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { Browser, chromium, Page } from 'playwright-core';
import { pageCodeAsReadme, PAGE_DIR, PAGE_MODULE, readmeFrontEndSnippet } from './front-end-snippet';
import { EndToEndWorld, vendorEnvironment } from './harness';
import { LocalHttpApi } from './local-http-api';
import { Viewer } from './node-viewer';
import { loadBundle } from '../lifecycle/harness';
import { KeyServer, TestLoadBalancer, TestUserPool } from '../lifecycle/token-keys';

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
    expect(pageCodeAsReadme(page.replace("res.headers.get('retry-after')", "res.headers.get('x-retry')"), readme)).not.toBe(readme);
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
  const ISSUER = 'https://login.example.com/chat/';
  const CLIENT = 'chat-web';
  const keys = new TestUserPool();
  let keyServer: KeyServer;
  let world: EndToEndWorld;
  /** Serves the page: another origin than the token endpoint. */
  let site: LocalHttpApi;
  /** The token endpoint: an HTTP API with no authorizer, every request (OPTIONS too) to the vendor. */
  let api: LocalHttpApi;
  let vendor: { handler(event: unknown): Promise<unknown> } | undefined;
  let browser: Browser;
  let page: Page;
  const consoleLines: string[] = [];

  beforeAll(async () => {
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    [world, browser, keyServer, site, api] = await Promise.all([
      EndToEndWorld.start(),
      chromium.launch({ executablePath: BROWSER_PATH, args: BROWSER_FLAGS, timeout: 0 }),
      KeyServer.start(keys, new TestLoadBalancer()),
      LocalHttpApi.start(async () => { throw new Error('the site serves files only'); }),
      LocalHttpApi.start((event) => vendor!.handler(event), { authorizer: 'none' }),
    ]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    await site?.stop();
    await keyServer?.stop();
    await world?.stop();
  });

  test('the snippet gets a vendor token for the signed-in user across origins (preflight, a 429 it waits out), connects, sends, and logs what others say', async () => {
    // GIVEN a room; bo, a Node viewer, in it; and the vendor, verifying the page's OIDC token, for the page's origin
    const room = world.standIn.seedRoom({ name: 'lobby' });
    world.useVendor({ rooms: [room] });
    const bo = new Viewer(world, 'bo', {});
    await bo.join();
    expect(new URL(site.origin).origin).not.toBe(new URL(api.origin).origin);
    vendor = loadBundle('token-vendor/token-vendor.lambda', {
      ...world.standIn.environment(),
      ...vendorEnvironment({
        rooms: [room],
        oidcIssuer: { issuer: ISSUER, audience: [CLIENT], jwksUri: keyServer.userPoolJwksUri },
        allowedOrigins: [site.origin],
        throttleWait: Duration.seconds(0),
      }),
    });
    site.serve('/', { contentType: 'text/html', body: fs.readFileSync(path.join(PAGE_DIR, 'index.html')) });
    site.serve('/front-end.js', { contentType: 'text/javascript', body: fs.readFileSync(PAGE_MODULE) });
    const idToken = keys.idToken(CLIENT, { iss: ISSUER, sub: 'ana' });
    site.serve('/config.js', {
      contentType: 'text/javascript',
      // idToken: the ID token the page's sign-in gave it, signed by the issuer's key
      body: `var TOKEN_URL = ${JSON.stringify(api.tokenUrl)};\nvar CHAT_URL = ${JSON.stringify(world.messaging.url)};\n`
        + `var LOBBY_ARN = ${JSON.stringify(room.arn)};\nvar idToken = ${JSON.stringify(idToken)};\n`,
    });
    site.serveDirectory('/sdk', path.join(SDK_DIR, 'dist', 'esm'));
    site.serveDirectory('/uuid', path.join(UUID_DIR, 'dist', 'esm-browser'));
    // the page's first token request is throttled: the vendor (no wait configured) answers 429 with Retry-After
    world.standIn.failNext('CreateChatToken', 1, 'throttling');

    // WHEN the browser opens the page
    page = await browser.newPage();
    page.on('console', (message) => consoleLines.push(message.text()));
    page.on('pageerror', (error) => consoleLines.push(`pageerror: ${error.message}`));
    await page.goto(site.origin);

    // THEN it connects with a token the vendor issued to "ana" for the lobby, for the snippet's 20 minutes
    await page.waitForFunction('window.chat !== undefined && window.chat.room.state === "connected"', undefined, { timeout: 0 });
    const methods = api.events.map((e) => e.requestContext.http.method);
    expect(methods[0]).toBe('OPTIONS');
    expect(methods.filter((m) => m === 'POST')).toHaveLength(2);
    // the preflight came from the page's origin, asking for the bearer header, and the vendor allowed it
    expect(api.events[0].headers).toMatchObject({ 'origin': site.origin, 'access-control-request-method': 'POST' });
    expect(api.events[0].headers['access-control-request-headers'].split(',').map((h: string) => h.trim()).sort()).toEqual(['authorization', 'content-type']);
    expect(api.responses[0]).toMatchObject({ statusCode: 204, headers: { 'Access-Control-Allow-Origin': site.origin } });
    // the first POST was throttled and told when to come back; the second got the token
    const posts = api.events.map((e, i) => [e, api.responses[i]] as const).filter(([e]) => e.requestContext.http.method === 'POST');
    expect(posts.map(([, r]) => r.statusCode)).toEqual([429, 200]);
    expect(posts[0][1].headers).toMatchObject({ 'Retry-After': '1', 'Access-Control-Expose-Headers': 'retry-after' });
    for (const [event] of posts) {
      expect(event.headers).toMatchObject({ origin: site.origin, authorization: `Bearer ${idToken}` });
      expect(event.requestContext.authorizer).toBeUndefined();
      expect(JSON.parse(event.body)).toEqual({ roomArn: room.arn, sessionDurationInMinutes: 20 });
    }
    expect(world.standIn.issuedTokens().find((t) => t.userId === 'ana')).toMatchObject({ roomArn: room.arn, sessionDurationInMinutes: 20 });
    expect(world.messaging.connections(room.arn).map((c) => c.userId).sort()).toEqual(['ana', 'bo']);

    // and the page can read Retry-After across origins (a header CORS hides unless exposed)
    world.standIn.failNext('CreateChatToken', 1, 'throttling');
    const retryAfter = await page.evaluate(`fetch(TOKEN_URL, { method: 'POST', headers: { 'content-type': 'application/json',
      authorization: 'Bearer ' + idToken }, body: '{}' }).then((res) => [res.status, res.headers.get('retry-after')])`);
    expect(retryAfter).toEqual([429, '1']);

    // and what it sends reaches the Node client as ana's
    const sent = await page.evaluate(`window.chat.room.sendMessage(new window.chat.SendMessageRequest('hello from Chromium'))
      .then((m) => ({ id: m.id, userId: m.sender.userId, content: m.content }))`) as { id: string; userId: string; content: string };
    expect(sent).toEqual({ id: expect.any(String), userId: 'ana', content: 'hello from Chromium' });
    await until(() => bo.messages.length === 1);
    expect(bo.messages[0]).toMatchObject({ id: sent.id, content: 'hello from Chromium', sender: { userId: 'ana' } });

    // and the snippet's listener logs what bo says
    const logged = page.waitForEvent('console', { predicate: (message) => message.text() === 'bo: hi Chromium', timeout: 0 });
    await bo.send('hi Chromium');
    await logged;
    expect(consoleLines.filter((line) => line.startsWith('pageerror'))).toEqual([]);

    bo.room.disconnect();
    await page.close();
  }, 120_000);
});

/** Resolves once `condition` holds; no deadline of its own: the test's timeout bounds it. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}
