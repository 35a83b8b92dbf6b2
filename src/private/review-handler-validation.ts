import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { LIMITS } from './constants';
import { ValidationError } from './errors';

/** `MessageReviewHandler.Uri` as the API checks it (service model: LambdaArn, 0-170 characters and a pattern); tokens pass. */
export function validateReviewHandlerUri(scope: IConstruct, uri: string): void {
  if (Token.isUnresolved(uri)) return;
  if (uri.length > LIMITS.reviewHandlerUriMaxLength) {
    throw new ValidationError(scope, '`messageReviewHandler`: the function ARN (the room\'s MessageReviewHandler.Uri) must be at most ' +
      `${LIMITS.reviewHandlerUriMaxLength} characters. Received ${uri.length} characters: "${uri}"`);
  }
  if (!LIMITS.reviewHandlerUriPattern.test(uri)) {
    throw new ValidationError(scope, '`messageReviewHandler`: the function ARN (the room\'s MessageReviewHandler.Uri) must match ' +
      `${LIMITS.reviewHandlerUriPattern.source} (the IVS Chat API's pattern). Received "${uri}"`);
  }
}
