import { Arn, ArnFormat, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { IvsChatResourceType, parseIvsChatArn } from './arn';
import { LIMITS } from './constants';
import { MARKER_TAG_KEY, OWNER_TAG_KEY, PROVIDER_TAG_KEYS } from './contract';
import { ValidationError } from './errors';

// Synth-time checks: each names the construct, the property, the value received and the limit; tokens pass.

export function validateRange(scope: IConstruct, property: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(scope, `\`${property}\` must be an integer between ${min} and ${max}. Received ${value}`);
  }
}

export function validateName(scope: IConstruct, property: string, value: string | undefined, maxLength: number, pattern: RegExp): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (value.length > maxLength) {
    throw new ValidationError(scope, `\`${property}\` must be at most ${maxLength} characters. Received ${value.length} characters: "${value}"`);
  }
  if (!pattern.test(value)) {
    throw new ValidationError(scope, `\`${property}\` must match ${pattern.source} (letters, digits, '-' and '_'). Received "${value}"`);
  }
}

/** Where a resource is, as far as synth time knows. */
export interface Placement {
  readonly account?: string;
  readonly region?: string;
}

/**
 * Throws when `theirs` is known to be in another account or region than `mine` (tokens pass);
 * `describe` words the error for its caller.
 */
export function validateSamePlacement(
  scope: IConstruct, mine: Placement, theirs: Placement, describe: (field: 'account' | 'region', mine: string, theirs: string) => string,
): void {
  for (const field of ['account', 'region'] as const) {
    const a = mine[field];
    const b = theirs[field];
    if (a !== undefined && b !== undefined && !Token.isUnresolved(a) && !Token.isUnresolved(b) && a !== b) {
      throw new ValidationError(scope, describe(field, a, b));
    }
  }
}

/**
 * The API's tag limits, as construct validation errors (`node.addValidation` prefixes the construct path);
 * `kind` names the resource ("room"). Keys starting with `aws:` (any case) are reserved for AWS; the provider's
 * marker and ownership tags take two of the API's 50 tags and their keys.
 */
export function validateTags(kind: string, tags: Record<string, string>): string[] {
  const limits = { perResource: USER_TAGS_PER_RESOURCE, keyMaxLength: LIMITS.tagKeyMaxLength, valueMaxLength: LIMITS.tagValueMaxLength };
  const errors: string[] = [];
  const count = Object.keys(tags).length;
  if (count > limits.perResource) {
    errors.push(`\`tags\`: a ${kind} takes at most ${limits.perResource} tags (the API's ${LIMITS.tagsPerResource}, less the two the ` +
      `provider adds: ${MARKER_TAG_KEY}, so a rollback can find what a create made, and ${OWNER_TAG_KEY}, naming the stack that owns it). ` +
      `Received ${count}`);
  }
  for (const [key, value] of Object.entries(tags)) {
    if (Token.isUnresolved(key) || Token.isUnresolved(value)) continue;
    if (key.length < 1 || key.length > limits.keyMaxLength) {
      errors.push(`\`tags\`: keys must be 1-${limits.keyMaxLength} characters. Received "${key}" (${key.length})`);
    }
    if (key.toLowerCase().startsWith(RESERVED_TAG_PREFIX)) {
      errors.push(`\`tags\`: the "${RESERVED_TAG_PREFIX}" key prefix is reserved for AWS and refused by the API. Received "${key}"`);
    }
    if (PROVIDER_TAG_KEYS.includes(key)) {
      const what = key === MARKER_TAG_KEY ? 'marker tag' : 'ownership tag (its value is the stack id)';
      errors.push(`\`tags\`: the key "${key}" is the provider's own ${what} and cannot be set. Received "${key}"`);
    }
    if (value.length > limits.valueMaxLength) {
      errors.push(`\`tags\`: values must be at most ${limits.valueMaxLength} characters. Received ${value.length} for key "${key}"`);
    }
  }
  return errors;
}

/** Tags a user may set: the API's limit less the provider's marker and ownership tags. */
const USER_TAGS_PER_RESOURCE = LIMITS.tagsPerResource - PROVIDER_TAG_KEYS.length;

/** Tag keys AWS keeps for itself (AWS tagging guide: "Tags owned by AWS have the reserved prefix aws:"). */
const RESERVED_TAG_PREFIX = 'aws:';

/**
 * Checks that `arn` is an ivschat ARN of `resourceType` (unless it is a token) and returns its id
 * (a token when the ARN is one).
 */
export function parseImportedArn(scope: IConstruct | string, arn: string, resourceType: IvsChatResourceType, property: string): string {
  if (Token.isUnresolved(arn)) {
    return Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME).resourceName!;
  }
  const parsed = parseIvsChatArn(arn, resourceType);
  if (!parsed) {
    throw new ValidationError(scope, `\`${property}\` must be an IVS Chat ${resourceType} ARN, ` +
      `arn:<partition>:ivschat:<region>:<account>:${resourceType}/<id>. Received "${arn}"`);
  }
  return parsed.resourceId;
}
