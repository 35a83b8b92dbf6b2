import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { LIMITS } from './constants';
import { REVIEW_HANDLER_PROPERTY, ROOM_PROPERTY } from './contract';
import { ValidationError } from './errors';

/** The review handler's Uri pattern (LambdaArn in the service model); here, not in LIMITS, which the provider bundle carries. */
const URI_PATTERN = /^$|^arn:aws:lambda:[a-z0-9-]+:[0-9]{12}:function:.+/;

/** The room's review handler Uri as the API checks it (service model: LambdaArn, 0-170 characters and a pattern); tokens pass. */
export function validateReviewHandlerUri(scope: IConstruct, uri: string): void {
  if (Token.isUnresolved(uri)) return;
  const field = `the room's ${ROOM_PROPERTY.MessageReviewHandler}.${REVIEW_HANDLER_PROPERTY.Uri}`;
  if (uri.length > LIMITS.reviewHandlerUriMaxLength) {
    throw new ValidationError(scope, `\`messageReviewHandler\`: the function ARN (${field}) must be at most ` +
      `${LIMITS.reviewHandlerUriMaxLength} characters. Received ${uri.length} characters: "${uri}"`);
  }
  if (!URI_PATTERN.test(uri)) {
    throw new ValidationError(scope, `\`messageReviewHandler\`: the function ARN (${field}) must match ` +
      `${URI_PATTERN.source} (the IVS Chat API's pattern). Received "${uri}"`);
  }
}
