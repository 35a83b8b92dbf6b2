/**
 * Stands in for aws-jwt-verify in a bench-only build of the token vendor, to measure what bundling the library
 * costs (size, cold start). Only configured verifiers are created, so the authorizer path never reaches these.
 */
function absent(): never {
  throw new Error('aws-jwt-verify is left out of this bench build');
}
export const AlbJwtVerifier = { create: absent };
export const CognitoJwtVerifier = { create: absent };
export class SimpleFetcher {
  constructor() { absent(); }
}
export class SimpleJwksCache {
  constructor() { absent(); }
}
