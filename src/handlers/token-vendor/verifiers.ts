// JWT verification for the token vendor, by aws-jwt-verify (bundled into the handler): the load balancer's signed
// sign-in data, and bearer tokens of a user pool or an OIDC issuer. Built once per container, so the key caches survive warm calls.
import { AlbJwtVerifier, CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify';
import { SimpleFetcher } from 'aws-jwt-verify/https';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { Claims, JwtCheck } from './identity';

/** Where a verifier's keys come from. */
export interface VerifierSettings {
  /** The load balancer whose `x-amzn-oidc-data` is accepted (the token's `signer`). */
  readonly loadBalancerArn?: string;
  /** Base URI of the load balancer's public keys (`<uri>/<kid>`); default: the region's ALB key endpoint. */
  readonly loadBalancerKeysUri?: string;
  /** The user pool whose id and access tokens are accepted. */
  readonly userPoolId?: string;
  /** The app clients a token may be issued to; empty: any client of the pool. */
  readonly userPoolClientIds?: readonly string[];
  /** Where the pool's JWKS is fetched; default: the pool's own `.well-known/jwks.json`. */
  readonly userPoolJwksUri?: string;
  /** An OIDC issuer (`iss`) whose bearer tokens are accepted; not with `userPoolId`. */
  readonly oidcIssuer?: string;
  /** The audiences (`aud`) an OIDC token must carry one of. */
  readonly oidcAudience?: readonly string[];
  /** Where the issuer's JWKS is fetched; default: `<issuer>/.well-known/jwks.json`. */
  readonly oidcJwksUri?: string;
}

/** The verifiers the settings call for. */
export interface TokenVerifiers {
  readonly loadBalancer?: JwtCheck;
  /** The user pool's or the OIDC issuer's. */
  readonly bearer?: JwtCheck;
}

export function createVerifiers(settings: VerifierSettings): TokenVerifiers {
  if (settings.userPoolId && settings.oidcIssuer) {
    throw new Error('Token vendor configuration: a user pool and an OIDC issuer are exclusive (a user pool is one issuer)');
  }
  return {
    loadBalancer: settings.loadBalancerArn ? checkOf(loadBalancerVerifier(settings.loadBalancerArn, settings.loadBalancerKeysUri)) : undefined,
    bearer: settings.userPoolId
      ? checkOf(userPoolVerifier(settings.userPoolId, settings.userPoolClientIds ?? [], settings.userPoolJwksUri))
      : settings.oidcIssuer
        ? checkOf(oidcVerifier(settings.oidcIssuer, settings.oidcAudience ?? [], settings.oidcJwksUri))
        : undefined,
  };
}

/**
 * Checks the ALB's ES256 signature with the key named by `kid`, the expiry, and that `signer` is this load
 * balancer. The issuer and client are the load balancer's own configuration: it signs only what its
 * authenticate action accepted.
 */
export function loadBalancerVerifier(loadBalancerArn: string, keysUri?: string) {
  return AlbJwtVerifier.create({ albArn: loadBalancerArn, issuer: null, clientId: null, ...(keysUri ? { jwksUri: keysUri } : {}) });
}

/** Checks a Cognito id or access token: signature, expiry, issuer (the pool) and, when given, its app client. */
export function userPoolVerifier(userPoolId: string, clientIds: readonly string[], jwksUri?: string) {
  const fetcher = new SimpleFetcher();
  // The pool's JWKS URI is derived from its id; an override fetches the same document from elsewhere.
  const jwksCache = new SimpleJwksCache({
    fetcher: jwksUri ? { fetch: (_uri, ...rest) => fetcher.fetch(jwksUri, ...rest) } : fetcher,
  });
  return CognitoJwtVerifier.create({
    userPoolId,
    clientId: clientIds.length > 0 ? [...clientIds] : null,
    // Id tokens carry the profile claims (name, email); access tokens the groups and scopes: both identify the user.
    tokenUse: null,
  }, { jwksCache });
}

/** Checks any issuer's JWT: signature (its JWKS), expiry, `iss` and that `aud` holds one of the audiences. */
export function oidcVerifier(issuer: string, audience: readonly string[], jwksUri?: string) {
  if (audience.length === 0) throw new Error('Token vendor configuration: an OIDC issuer needs at least one audience');
  return JwtVerifier.create({ issuer, audience: [...audience], ...(jwksUri ? { jwksUri } : {}) });
}

function checkOf(verifier: { verify(jwt: string): Promise<object> }): JwtCheck {
  return async (jwt) => await verifier.verify(jwt) as Claims;
}
