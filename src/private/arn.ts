// The IVS Chat ARN grammar, used by the constructs (imports) and the provider handler (physical ids).
// Free of aws-cdk-lib so the handler bundle imports it too.

/** The IVS Chat resource types that have ARNs. */
export type IvsChatResourceType = 'room' | 'logging-configuration';

/** An IVS Chat ARN, split: `arn:<partition>:ivschat:<region>:<account>:<resourceType>/<resourceId>`. */
export interface IvsChatArn {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly resourceType: IvsChatResourceType;
  /** The 12-character id. */
  readonly resourceId: string;
}

// Partitions are aws, aws-cn, aws-us-gov, aws-iso...; an account is 12 digits (Service Authorization Reference).
const IVSCHAT_ARN = /^arn:(aws[a-z-]*):ivschat:([a-z0-9-]+):(\d{12}):(room|logging-configuration)\/([a-zA-Z0-9]+)$/;

/** Splits an IVS Chat ARN of `resourceType` (any type when left out); undefined when `value` is not one. */
export function parseIvsChatArn(value: string, resourceType?: IvsChatResourceType): IvsChatArn | undefined {
  const match = IVSCHAT_ARN.exec(value);
  if (!match) return undefined;
  const [, partition, region, account, type, resourceId] = match;
  if (resourceType !== undefined && type !== resourceType) return undefined;
  return { partition, region, account, resourceType: type as IvsChatResourceType, resourceId };
}
