import { ReasonError } from './errors';

// CloudFormation passes every custom-resource property as a string: these read them back, naming the property on error.

/** An integer, or undefined when CloudFormation left it out. */
export function parseInteger(value: unknown, property: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  // Only plain decimal digits: Number() would also take ' ', '0x10', '1e2', true and [3].
  const parsed = typeof value === 'number' ? value
    : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(parsed)) {
    throw new ReasonError(`${property} must be an integer. Received ${JSON.stringify(value)}`);
  }
  return parsed;
}

/** A string property, or undefined when CloudFormation left it out. */
export function parseString(value: unknown, property: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new ReasonError(`${property} must be a string. Received ${JSON.stringify(value)}`);
  }
  return value;
}

/** A list of strings, or an empty list when CloudFormation left it out. */
export function parseStringList(value: unknown, property: string): string[] {
  if (value === undefined || value === null || value === '') return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new ReasonError(`${property} must be a list of strings. Received ${JSON.stringify(value)}`);
  }
  return value as string[];
}

/** An object property (`{}` when left out), for reading nested properties. */
export function parseObject(value: unknown, property: string): Record<string, unknown> {
  if (value === undefined || value === null || value === '') return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ReasonError(`${property} must be an object. Received ${JSON.stringify(value)}`);
  }
  return value as Record<string, unknown>;
}

/** Tags as a plain map; the constructs render them as `{ key: value }`. */
export function parseTags(value: unknown, property: string): Record<string, string> {
  if (value === undefined || value === null || value === '') return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ReasonError(`${property} must be a map of strings. Received ${JSON.stringify(value)}`);
  }
  const tags: Record<string, string> = {};
  for (const [key, tagValue] of Object.entries(value as Record<string, unknown>)) {
    tags[key] = String(tagValue);
  }
  return tags;
}
