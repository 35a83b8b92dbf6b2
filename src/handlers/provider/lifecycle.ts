import type { CloudFormationCustomResourceEvent } from 'aws-lambda';

export type CustomResourceEvent = CloudFormationCustomResourceEvent;

/** What a lifecycle function tells CloudFormation on success. */
export interface LifecycleResult {
  /** The physical id: the resource's ARN. */
  readonly physicalResourceId: string;
  /** `Fn::GetAtt` attributes; every one must have a value. */
  readonly data?: Record<string, string>;
}
