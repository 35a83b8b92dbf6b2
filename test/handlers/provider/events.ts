import type {
  CloudFormationCustomResourceCreateEvent,
  CloudFormationCustomResourceDeleteEvent,
  CloudFormationCustomResourceUpdateEvent,
} from 'aws-lambda';

/** Custom resource properties as CloudFormation passes them. */
export type Props = Record<string, unknown>;

const SERVICE_TOKEN = 'arn:aws:lambda:us-east-1:123456789012:function:provider';

/** Create / Update / Delete events for one resource type, as CloudFormation sends them to the provider. */
export function eventFactory(resourceType: string, logicalId: string, defaultPhysicalId: string, defaultDeleteProps: Props = {}) {
  const common = {
    ServiceToken: SERVICE_TOKEN,
    ResponseURL: 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/x?X-Amz-Signature=secret',
    StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/S/1111',
    RequestId: 'req-1',
    LogicalResourceId: logicalId,
    ResourceType: resourceType,
  };
  return {
    createEvent: (props: Props = {}): CloudFormationCustomResourceCreateEvent =>
      ({ ...common, RequestType: 'Create', ResourceProperties: { ServiceToken: SERVICE_TOKEN, ...props } }),
    updateEvent: (oldProps: Props, newProps: Props, physicalId = defaultPhysicalId): CloudFormationCustomResourceUpdateEvent => ({
      ...common,
      RequestType: 'Update',
      PhysicalResourceId: physicalId,
      OldResourceProperties: { ServiceToken: SERVICE_TOKEN, ...oldProps },
      ResourceProperties: { ServiceToken: SERVICE_TOKEN, ...newProps },
    }),
    deleteEvent: (physicalId = defaultPhysicalId, props: Props = defaultDeleteProps): CloudFormationCustomResourceDeleteEvent => ({
      ...common,
      RequestType: 'Delete',
      PhysicalResourceId: physicalId,
      ResourceProperties: { ServiceToken: SERVICE_TOKEN, ...props },
    }),
  };
}
