import { ERROR_STATUS, INVALID_LAMBDA_PERMISSION_MESSAGE, MESSAGE_REVIEW_HANDLER_URI_FIELD, ModeledErrorName, ResourceType, ValidationReason } from './model';

/** One entry of a ValidationException's `fieldList`. */
export interface FieldError {
  readonly name: string;
  readonly message: string;
}

/** The JSON body of an error answer, beyond `message`: the modeled members of the exception. */
export type ErrorFields = Readonly<Record<string, unknown>>;

/**
 * An error answer: rendered as `x-amzn-errortype: <name>` plus a JSON body `{ message, ...fields }`,
 * which is exactly what the SDK's restJson1 deserializer reads to build a typed exception.
 */
export class ServiceError extends Error {
  constructor(
    readonly errorType: string,
    readonly status: number,
    message: string,
    readonly fields: ErrorFields = {},
  ) {
    super(message);
    this.name = errorType;
  }

  get body(): Record<string, unknown> {
    return { message: this.message, ...this.fields };
  }
}

function modeled(name: ModeledErrorName, message: string, fields: ErrorFields = {}): ServiceError {
  return new ServiceError(name, ERROR_STATUS[name], message, fields);
}

export function validationError(reason: ValidationReason, message: string, fieldList?: readonly FieldError[]): ServiceError {
  return modeled('ValidationException', message, fieldList ? { reason, fieldList } : { reason });
}

/** Coral-style summary, e.g. "1 validation error detected: Value at 'name' failed to satisfy constraint: ...". */
export function fieldValidationError(fieldList: readonly FieldError[]): ServiceError {
  const count = fieldList.length;
  const details = fieldList.map((f) => `Value at '${f.name}' failed to satisfy constraint: ${f.message}`).join('; ');
  return validationError('FIELD_VALIDATION_FAILED', `${count} validation error${count === 1 ? '' : 's'} detected: ${details}`, fieldList);
}

export function unknownOperationError(method: string, path: string): ServiceError {
  return validationError('UNKNOWN_OPERATION', `Unknown operation: ${method} ${path}`);
}

export function invalidLambdaPermissionError(): ServiceError {
  return validationError('FIELD_VALIDATION_FAILED', INVALID_LAMBDA_PERMISSION_MESSAGE, [
    { name: MESSAGE_REVIEW_HANDLER_URI_FIELD, message: INVALID_LAMBDA_PERMISSION_MESSAGE },
  ]);
}

export function accessDeniedError(message: string): ServiceError {
  return modeled('AccessDeniedException', message);
}

export function notFoundError(resourceType: ResourceType, resourceId: string, arn: string): ServiceError {
  return modeled('ResourceNotFoundException', `${resourceLabel(resourceType)} not found: ${arn}`, { resourceId, resourceType });
}

export function conflictError(resourceType: ResourceType, resourceId: string, message: string): ServiceError {
  return modeled('ConflictException', message, { resourceId, resourceType });
}

export function serviceQuotaError(resourceType: ResourceType, resourceId: string, limit: number, message: string): ServiceError {
  return modeled('ServiceQuotaExceededException', message, { resourceId, resourceType, limit });
}

export function throttlingError(resourceType: ResourceType, resourceId: string, limit: number, message?: string): ServiceError {
  return modeled('ThrottlingException', message ?? `Rate exceeded: limit is ${limit} requests per second`, { resourceId, resourceType, limit });
}

export function internalError(message = 'Internal server error'): ServiceError {
  return modeled('InternalServerException', message);
}

function resourceLabel(resourceType: ResourceType): string {
  return resourceType === 'ROOM' ? 'Room' : 'Logging configuration';
}
