/**
 * The message review function as Lambda runs it: the folder the MessageReviewFunction construct stages for its
 * code asset (the shipped bundle from assets/handlers/message-review/ plus the configuration file), loaded fresh.
 * Run `npx projen bundle` first. Not a test file.
 */
import * as path from 'node:path';
import { App, AssetStaging, Stack } from 'aws-cdk-lib';
import { MessageReviewFunction, MessageReviewFunctionProps } from '../../../src';
import { REVIEW_ENV } from '../../../src/private/message-review-contract';

export type ReviewHandler = (event: unknown) => Promise<any>;

/** The folder the construct stages for these props, and the environment it gives the function. */
export function stageReviewFunction(props: MessageReviewFunctionProps): { dir: string; environment: Record<string, string> } {
  const stack = new Stack(new App(), 'Review', { env: { account: '123456789012', region: 'us-east-1' } });
  const fn = new MessageReviewFunction(stack, 'Review', props);
  const staging = fn.lambdaFunction.node.findAll().find((c) => c instanceof AssetStaging) as AssetStaging;
  const variables = stack.resolve((fn.lambdaFunction.node.defaultChild as any).environment).variables as Record<string, string>;
  return { dir: staging.sourcePath, environment: variables };
}

/** A fresh instance of the function (module loaded anew) for these props. */
export function loadReviewFunction(props: MessageReviewFunctionProps, extraEnv: Record<string, string> = {}): ReviewHandler {
  const { dir, environment } = stageReviewFunction(props);
  return loadReviewFolder(dir, { ...environment, ...extraEnv });
}

export function loadReviewFolder(dir: string, env: Record<string, string>): ReviewHandler {
  delete process.env[REVIEW_ENV.onError];
  Object.assign(process.env, env);
  let handler: ReviewHandler | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    handler = (require(path.join(dir, 'index.js')) as { handler: ReviewHandler }).handler;
  });
  return handler!;
}
