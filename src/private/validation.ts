import { Token } from 'aws-cdk-lib';

// Synth-time checks: each names the property, the value received and the limit; tokens pass.

export function validateRange(property: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`\`${property}\` must be an integer between ${min} and ${max}. Received ${value}`);
  }
}

export function validateName(property: string, value: string | undefined, maxLength: number, pattern: RegExp): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (value.length > maxLength) {
    throw new Error(`\`${property}\` must be at most ${maxLength} characters. Received ${value.length} characters: "${value}"`);
  }
  if (!pattern.test(value)) {
    throw new Error(`\`${property}\` must match ${pattern.source} (letters, digits, '-' and '_'). Received "${value}"`);
  }
}
