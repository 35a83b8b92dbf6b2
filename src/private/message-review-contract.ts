// The contract between the MessageReviewFunction construct and its handler: the configuration file it ships in the
// function's code, the environment, the metrics and the review limits, written once. Free of aws-cdk-lib: the
// handler bundle imports it.

/** The file, beside the handler's index.js, holding the whole configuration (thousands of terms do not fit 4 KB of env). */
export const REVIEW_CONFIG_FILE = 'review-config.json';

/** Environment variables the construct sets: only what must work when the configuration file cannot be read. */
export const REVIEW_ENV = {
  /** `ALLOW` or `DENY`: the answer to a message the function could not review. */
  onError: 'REVIEW_ON_ERROR',
} as const;

/** What the function does with a message that matched (the values of the public ReviewAction enum). */
export type ReviewActionValue = 'MASK' | 'DENY';

/** A blocked pattern as shipped: the source and flags the construct compiled at synth. */
export interface ShippedPattern {
  readonly source: string;
  readonly flags: string;
}

/** The configuration file's content. */
export interface ReviewConfig {
  /** Version of this shape, so a handler refuses a file it cannot read. */
  readonly version: 1;
  readonly blockedTerms: readonly string[];
  readonly blockedPatterns: readonly ShippedPattern[];
  readonly blockLinks: boolean;
  /** Lower-case domains whose links (and their subdomains') stay. */
  readonly allowedLinkDomains: readonly string[];
  readonly onMatch: ReviewActionValue;
  readonly denyReason: string;
}

/** Flags every blocked pattern is compiled with, at synth and in the handler: any case, Unicode, every match. */
export const PATTERN_FLAGS = 'giu';

/** The most code points a message (and so a review answer's Content) has: the room's maximumMessageLength ceiling. */
export const REVIEW_CONTENT_MAX_CODE_POINTS = 500;

/** The character a masked code point becomes. */
export const MASK_CHARACTER = '*';

/** The Reason a sender sees when the function could not review the message and answers DENY. */
export const ERROR_DENY_REASON = 'This message could not be checked. Please try again.';

/** The metrics the handler publishes (CloudWatch embedded metric format), one data point each per message. */
export const REVIEW_METRICS = {
  namespace: 'CdkIvsChat/MessageReview',
  /** The dimension: the function's name (AWS_LAMBDA_FUNCTION_NAME, unqualified even through an alias). */
  dimension: 'FunctionName',
  /** Delivered unchanged. */
  allowed: 'MessagesAllowed',
  /** Delivered with the matches masked. */
  masked: 'MessagesMasked',
  /** Refused, with the reason. */
  denied: 'MessagesDenied',
  /** Could not be reviewed: answered with the error answer. */
  errors: 'ReviewErrors',
} as const;
