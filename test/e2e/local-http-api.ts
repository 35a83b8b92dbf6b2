/**
 * A local stand-in for an API Gateway HTTP API in front of the token vendor, plus a static file server for the
 * browser test. Not a test file. With `authorizer: 'none'` (the README's recommended wiring) every request on the
 * token path, OPTIONS included, reaches the function as is and the vendor verifies the bearer token itself;
 * with the default `'simulated-jwt'`, a JWT authorizer is simulated:
 *
 * `POST /token` becomes the payload 2.0 event an HTTP API passes to its Lambda integration. The JWT authorizer
 * is simulated: `Authorization: Bearer <user>` stands for a JWT the authorizer verified, and its claims
 * (`sub` = `<user>`, plus any claims registered for that user) land in `requestContext.authorizer.jwt.claims`,
 * as API Gateway puts them there. Without a bearer token the "gateway" answers 401 and never calls the
 * function, as a JWT authorizer does. The vendor is never reached through its IAM or direct-invocation paths.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import * as path from 'node:path';

/** What the vendor answers an HTTP event with. */
export interface LambdaHttpResponse {
  readonly statusCode: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
}

export type LambdaHttpHandler = (event: unknown) => Promise<unknown>;

export interface StaticFile {
  readonly contentType: string;
  readonly body: string | Buffer;
}

export const TOKEN_PATH = '/token';

export interface LocalHttpApiOptions {
  /** `simulated-jwt` (default): `Bearer <user>` becomes JWT authorizer claims; `none`: no authorizer, headers pass as sent. */
  readonly authorizer?: 'simulated-jwt' | 'none';
}

export class LocalHttpApi {
  static async start(handler: LambdaHttpHandler, options: LocalHttpApiOptions = {}): Promise<LocalHttpApi> {
    const api = new LocalHttpApi(handler, options.authorizer ?? 'simulated-jwt');
    await new Promise<void>((resolve, reject) => {
      api.server.once('error', reject);
      api.server.listen(0, '127.0.0.1', () => resolve());
    });
    return api;
  }

  /** Every event passed to the function, oldest first. */
  readonly events: Array<Record<string, any>> = [];
  /** The function's answer to each event, in the same order. */
  readonly responses: LambdaHttpResponse[] = [];
  private readonly server: Server;
  private readonly files = new Map<string, StaticFile>();
  private readonly directories = new Map<string, string>();
  private readonly extraClaims = new Map<string, Record<string, string>>();

  private constructor(private readonly handler: LambdaHttpHandler, private readonly authorizer: 'simulated-jwt' | 'none') {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(e));
      });
    });
  }

  /** `http://127.0.0.1:PORT` */
  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get tokenUrl(): string {
    return `${this.origin}${TOKEN_PATH}`;
  }

  /** Serves `file` at `path` (GET). */
  serve(urlPath: string, file: StaticFile): void {
    this.files.set(urlPath, file);
  }

  /** Serves the files under `dir` at `prefix/<relative path>` (GET; JavaScript as text/javascript). */
  serveDirectory(prefix: string, dir: string): void {
    this.directories.set(prefix.replace(/\/$/, ''), dir);
  }

  /** Claims the simulated JWT authorizer adds for `user`, beside `sub`. */
  setClaims(user: string, claims: Record<string, string>): void {
    this.extraClaims.set(user, claims);
  }

  /** Forgets every user's extra claims and the recorded events. */
  reset(): void {
    this.extraClaims.clear();
    this.events.length = 0;
    this.responses.length = 0;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const body = await readBody(req);
    if (req.method === 'GET' && this.files.has(url.pathname)) {
      const file = this.files.get(url.pathname)!;
      res.writeHead(200, { 'content-type': file.contentType, 'cache-control': 'no-store' });
      res.end(file.body);
      return;
    }
    const fromDirectory = req.method === 'GET' ? this.directoryFile(url.pathname) : undefined;
    if (fromDirectory) {
      res.writeHead(200, { 'content-type': fromDirectory.contentType, 'cache-control': 'no-store' });
      res.end(fromDirectory.body);
      return;
    }
    if (url.pathname !== TOKEN_PATH) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Not Found' }));
      return;
    }
    const simulated = this.authorizer === 'simulated-jwt';
    const user = simulated ? /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] : undefined;
    // A JWT authorizer lets CORS preflights through and refuses anything else without a valid token.
    if (simulated && req.method !== 'OPTIONS' && user === undefined) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Unauthorized' }));
      return;
    }
    const event = this.httpApiEvent(req, url, body, user);
    this.events.push(event);
    const response = await this.handler(event) as LambdaHttpResponse;
    this.responses.push(response);
    const payload = response.body === undefined ? undefined
      : response.isBase64Encoded ? Buffer.from(response.body, 'base64') : response.body;
    res.writeHead(response.statusCode, response.headers ?? {});
    res.end(payload);
  }

  private directoryFile(pathname: string): StaticFile | undefined {
    for (const [prefix, dir] of this.directories) {
      if (!pathname.startsWith(`${prefix}/`)) continue;
      const file = path.resolve(dir, `.${pathname.slice(prefix.length)}`);
      if (!file.startsWith(`${path.resolve(dir)}${path.sep}`) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return undefined;
      const contentType = file.endsWith('.js') ? 'text/javascript' : file.endsWith('.map') ? 'application/json' : 'application/octet-stream';
      return { contentType, body: fs.readFileSync(file) };
    }
    return undefined;
  }

  /** The HTTP API (payload format 2.0) event for this request. */
  private httpApiEvent(req: IncomingMessage, url: URL, body: string, user: string | undefined): Record<string, any> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
    }
    const now = new Date();
    return {
      version: '2.0',
      routeKey: `${req.method} ${TOKEN_PATH}`,
      rawPath: url.pathname,
      rawQueryString: url.search.replace(/^\?/, ''),
      headers,
      requestContext: {
        accountId: '123456789012',
        apiId: 'localapi',
        domainName: url.host,
        http: { method: req.method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
        requestId: randomUUID(),
        routeKey: `${req.method} ${TOKEN_PATH}`,
        stage: '$default',
        time: now.toUTCString(),
        timeEpoch: now.getTime(),
        ...(user === undefined ? {} : { authorizer: { jwt: { claims: { ...this.extraClaims.get(user), sub: user }, scopes: null } } }),
      },
      ...(body === '' ? {} : { body }),
      isBase64Encoded: false,
    };
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
