/**
 * Test-only signing keys and a local HTTPS key server for the token vendor's JWT verification: Cognito-style RS256
 * id / access tokens (JWKS at a path of the server) and ALB-style ES256 `x-amzn-oidc-data` (PEM at `<base>/<kid>`).
 * The vendor's key URIs are pointed here (CHAT_USER_POOL_JWKS_URI, CHAT_LOAD_BALANCER_KEYS_URI): nothing reaches
 * the network. The certificate is self-signed for 127.0.0.1 (openssl) and trusted through https.globalAgent, which
 * the bundle's fetcher uses, for as long as the server runs.
 *
 * node:crypto signs here because these are TEST keys; the vendor itself verifies with aws-jwt-verify only.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, KeyObject, randomUUID, sign } from 'node:crypto';
import * as fs from 'node:fs';
import * as https from 'node:https';
import { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const REGION = 'us-east-1';
export const USER_POOL_ID = `${REGION}_TestPool1`;
export const USER_POOL_ISSUER = `https://cognito-idp.${REGION}.amazonaws.com/${USER_POOL_ID}`;
export const LOAD_BALANCER_ARN = `arn:aws:elasticloadbalancing:${REGION}:123456789012:loadbalancer/app/chat/50dc6c495c0c9188`;

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** A JWT signed with `key`: RS256 for RSA keys, ES256 (raw r||s signature) for P-256 keys. */
export function signJwt(header: Record<string, unknown>, payload: Record<string, unknown>, key: KeyObject): string {
  const rsa = key.asymmetricKeyType === 'rsa';
  const input = `${base64url(JSON.stringify({ ...header, alg: rsa ? 'RS256' : 'ES256' }))}.${base64url(JSON.stringify(payload))}`;
  const signature = rsa
    ? sign('sha256', Buffer.from(input), key)
    : sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${base64url(signature)}`;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A user pool's keys and the tokens it would issue. */
export class TestUserPool {
  readonly kid = 'test-pool-key-1';
  private readonly key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  /** Same kid, another key: what a forger would sign with. */
  private readonly otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

  jwks(): object {
    return { keys: [{ ...this.key.publicKey.export({ format: 'jwk' }), kid: this.kid, alg: 'RS256', use: 'sig' }] };
  }

  /** An id token for `clientId` (`aud`), valid for an hour unless `expiresIn` says otherwise. */
  idToken(clientId: string, claims: Record<string, unknown>, options: { expiresIn?: number; forged?: boolean } = {}): string {
    return signJwt({ kid: this.kid, typ: 'JWT' }, {
      iss: USER_POOL_ISSUER,
      aud: clientId,
      token_use: 'id',
      auth_time: nowSeconds(),
      iat: nowSeconds() - 5,
      exp: nowSeconds() + (options.expiresIn ?? 3600),
      ...claims,
    }, options.forged ? this.otherKey : this.key.privateKey);
  }

  /** An access token for `clientId` (`client_id`). */
  accessToken(clientId: string, claims: Record<string, unknown>): string {
    return signJwt({ kid: this.kid, typ: 'JWT' }, {
      iss: USER_POOL_ISSUER,
      client_id: clientId,
      token_use: 'access',
      scope: 'openid',
      iat: nowSeconds() - 5,
      exp: nowSeconds() + 3600,
      ...claims,
    }, this.key.privateKey);
  }
}

/** An ALB's signing key and the `x-amzn-oidc-data` it would send. */
export class TestLoadBalancer {
  /** ALB key ids are UUIDs. */
  readonly kid = randomUUID();
  private readonly key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  private readonly otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;

  publicKeyPem(): string {
    return this.key.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  }

  /** The signed user claims, as the load balancer `signer` would send them after sign-in. */
  oidcData(claims: Record<string, unknown>, options: { signer?: string; expiresIn?: number; forged?: boolean } = {}): string {
    const exp = nowSeconds() + (options.expiresIn ?? 120);
    return signJwt({
      kid: this.kid, typ: 'JWT', signer: options.signer ?? LOAD_BALANCER_ARN, iss: USER_POOL_ISSUER, client: 'alb-client', exp,
    }, { ...claims, exp, iss: USER_POOL_ISSUER }, options.forged ? this.otherKey : this.key.privateKey);
  }
}

/** Serves a user pool's JWKS and a load balancer's public keys over HTTPS on 127.0.0.1. */
export class KeyServer {
  static async start(pool: TestUserPool, loadBalancer: TestLoadBalancer): Promise<KeyServer> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vendor-keys-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
        '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
        '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
      const cert = fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8');
      const key = fs.readFileSync(path.join(dir, 'key.pem'), 'utf8');
      const server = new KeyServer(cert, key, pool, loadBalancer);
      await new Promise<void>((resolve, reject) => {
        server.server.once('error', reject);
        server.server.listen(0, '127.0.0.1', () => resolve());
      });
      return server;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Paths requested, in order. */
  readonly requests: string[] = [];
  private readonly server: https.Server;
  private readonly savedCa: unknown;

  private constructor(private readonly cert: string, key: string, pool: TestUserPool, loadBalancer: TestLoadBalancer) {
    this.server = https.createServer({ cert, key }, (req, res) => {
      this.requests.push(req.url ?? '');
      if (req.url === '/pool/jwks.json') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(pool.jwks()));
      } else if (req.url === `/alb/${loadBalancer.kid}`) {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(loadBalancer.publicKeyPem());
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    const options = https.globalAgent.options as { ca?: unknown };
    this.savedCa = options.ca;
    options.ca = this.cert;
  }

  /** The server's self-signed certificate (PEM): what a client in another process must trust (NODE_EXTRA_CA_CERTS). */
  get certificate(): string {
    return this.cert;
  }

  private get base(): string {
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Where the vendor fetches the user pool's JWKS. */
  get userPoolJwksUri(): string {
    return `${this.base}/pool/jwks.json`;
  }

  /** The base of the load balancer's public keys (`<base>/<kid>`). */
  get loadBalancerKeysUri(): string {
    return `${this.base}/alb`;
  }

  async stop(): Promise<void> {
    (https.globalAgent.options as { ca?: unknown }).ca = this.savedCa;
    https.globalAgent.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
