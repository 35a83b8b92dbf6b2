import { fieldValidationError, FieldError } from './errors';
import { IntegerRule, ListRule, RESERVED_TAG_KEY_PREFIX, RULES, StringRule } from './model';

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Smithy length traits count Unicode code points, not UTF-16 code units. */
export function codePointLength(value: string): number {
  return [...value].length;
}

/**
 * Checks request members against the model's constraints and collects every violation, so one
 * ValidationException lists all bad fields (as the service does) instead of only the first.
 */
export class FieldValidator {
  private readonly errors: FieldError[] = [];

  get valid(): boolean {
    return this.errors.length === 0;
  }

  add(name: string, message: string): void {
    this.errors.push({ name, message });
  }

  /** Throws the FIELD_VALIDATION_FAILED ValidationException if any check failed. */
  throwIfInvalid(): void {
    if (this.errors.length > 0) {
      throw fieldValidationError(this.errors);
    }
  }

  string(name: string, value: JsonValue | undefined, rule: StringRule): string | undefined {
    if (!this.present(name, value, rule.required)) return undefined;
    if (typeof value !== 'string') return this.fail(name, 'Member must be a string');
    const length = codePointLength(value);
    if (rule.min !== undefined && length < rule.min) return this.fail(name, `Member must have length greater than or equal to ${rule.min}`);
    if (rule.max !== undefined && length > rule.max) return this.fail(name, `Member must have length less than or equal to ${rule.max}`);
    if (rule.pattern && !rule.pattern.test(value)) return this.fail(name, `Member must satisfy regular expression pattern: ${rule.pattern.source}`);
    return value;
  }

  integer(name: string, value: JsonValue | undefined, rule: IntegerRule): number | undefined {
    if (!this.present(name, value, rule.required)) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) return this.fail(name, 'Member must be an integer');
    if (value < rule.min) return this.fail(name, `Member must have value greater than or equal to ${rule.min}`);
    if (value > rule.max) return this.fail(name, `Member must have value less than or equal to ${rule.max}`);
    return value;
  }

  enumValue<T extends string>(name: string, value: JsonValue | undefined, allowed: readonly T[], required = false): T | undefined {
    if (!this.present(name, value, required)) return undefined;
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      return this.fail(name, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
    }
    return value as T;
  }

  structure(name: string, value: JsonValue | undefined, required = false): JsonObject | undefined {
    if (!this.present(name, value, required)) return undefined;
    if (!isJsonObject(value)) return this.fail(name, 'Member must be a structure');
    return value;
  }

  list(name: string, value: JsonValue | undefined, rule: ListRule): JsonValue[] | undefined {
    if (!this.present(name, value, rule.required)) return undefined;
    if (!Array.isArray(value)) return this.fail(name, 'Member must be a list');
    if (rule.min !== undefined && value.length < rule.min) return this.fail(name, `Member must have length greater than or equal to ${rule.min}`);
    if (value.length > rule.max) return this.fail(name, `Member must have length less than or equal to ${rule.max}`);
    return value;
  }

  /** A map whose values must all be strings (tags, chat-token attributes). */
  stringMap(name: string, value: JsonValue | undefined, required = false): Record<string, string> | undefined {
    if (!this.present(name, value, required)) return undefined;
    if (!isJsonObject(value)) return this.fail(name, 'Member must be a map of strings');
    const result: Record<string, string> = {};
    for (const [key, entry] of Object.entries(value)) {
      if (typeof entry !== 'string') return this.fail(`${name}.${key}`, 'Member must be a string');
      result[key] = entry;
    }
    return result;
  }

  /** Tags: at most 50; key 1-128 and not `aws:`-prefixed; value 0-256. */
  tags(name: string, value: JsonValue | undefined, required = false): Record<string, string> | undefined {
    const tags = this.stringMap(name, value, required);
    if (tags === undefined) return undefined;
    const before = this.errors.length;
    const count = Object.keys(tags).length;
    if (count > RULES.tags.max) this.add(name, `Member must have length less than or equal to ${RULES.tags.max}`);
    for (const [key, tagValue] of Object.entries(tags)) {
      this.tagKey(`${name}.${key}`, key);
      this.string(`${name}.${key}`, tagValue, RULES.tagValue);
    }
    return this.errors.length === before ? tags : undefined;
  }

  tagKey(name: string, key: JsonValue | undefined): string | undefined {
    const checked = this.string(name, key, RULES.tagKey);
    if (checked?.toLowerCase().startsWith(RESERVED_TAG_KEY_PREFIX)) {
      return this.fail(name, `Tag keys must not start with the reserved prefix '${RESERVED_TAG_KEY_PREFIX}'`);
    }
    return checked;
  }

  private present(name: string, value: JsonValue | undefined, required: boolean | undefined): value is JsonValue {
    if (value !== undefined && value !== null) return true;
    if (required) this.add(name, 'Member must not be null');
    return false;
  }

  private fail(name: string, message: string): undefined {
    this.add(name, message);
    return undefined;
  }
}
