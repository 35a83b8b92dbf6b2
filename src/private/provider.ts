import * as path from 'node:path';
import { CfnResource, CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { IvsChatResourceType } from './arn';
import { MARKER_TAG_KEY, OWNER_TAG_KEY } from './contract';

/** A cdk-nag finding a suppression covers: its exact name, or `{ regex: '/.../' }` (cdk-nag 2.x's form). */
export type NagFinding = string | { readonly regex: string };

/** Why a statement needs a wildcard resource, in cdk-nag's terms. */
export interface WildcardJustification {
  /** The reason a reviewer reads. */
  readonly reason: string;
  /** The findings it covers, e.g. `Resource::*`, or `ivsChatArnPattern('room')` for `room/*` in any stack. */
  readonly appliesTo: NagFinding[];
}

/** A statement the provider's role needs, added once per `key` however many resources ask for it. */
export interface ProviderStatement {
  /** Identifies the statement: a second request with the same key adds nothing. */
  readonly key: string;
  /** Builds the statement (called once). */
  readonly statement: () => iam.PolicyStatement;
  /** Why its resource is a wildcard, for reviewers and cdk-nag; only for wildcard statements. */
  readonly wildcard?: WildcardJustification;
}

interface NagSuppression {
  readonly id: string;
  readonly reason: string;
  readonly applies_to: NagFinding[];
}

/**
 * cdk-nag's finding for `arn:...:ivschat:<region>:<account>:<type>/*` however the stack renders it: env-agnostic
 * (`<AWS::Partition>`, `<AWS::Region>`, `<AWS::AccountId>`) or with a literal partition, region and account.
 */
export function ivsChatArnPattern(resourceType: IvsChatResourceType): NagFinding {
  return {
    regex: `/^Resource::arn:(<AWS::Partition>|aws[a-z-]*):ivschat:(<AWS::Region>|[a-z0-9-]+):(<AWS::AccountId>|\\d{12}):${resourceType}\\/\\*$/`,
  };
}

/*
 * Which permissions the provider's role holds, and when.
 *
 * DELETE-SIDE statements are added as soon as the provider exists, for BOTH resource types, whatever the stack
 * holds: CloudFormation applies an update's new role policy in the main phase, and deletes removed resources only
 * afterwards (UPDATE_COMPLETE_CLEANUP_IN_PROGRESS). A Delete permission that came with "the last room" or "the last
 * logging configuration" would already be gone when that resource's Delete runs: AccessDenied, and CloudFormation
 * drops the resource from the stack without deleting it (a silent orphan). When the provider itself leaves the stack,
 * its custom resources go first: they reference the function, which depends on the role's policy.
 * They are: DeleteRoom / DeleteLoggingConfiguration / GetLoggingConfiguration (waiting for DELETING to end) /
 * UntagResource on `room/*` and `logging-configuration/*` carrying this stack's ownership tag; TagResource setting
 * that tag where it is missing (an older provider's resource, claimed once CloudFormation confirms the stack holds
 * it); DescribeStackResource on this stack; ListRooms and ListLoggingConfigurations (the marker
 * lookup for a `failed-create-*` Delete, and naming the rooms that hold a configuration), which take no resource;
 * and the log-delivery actions a configuration's delete needs (logs:GetLogDelivery, DeleteLogDelivery,
 * ListLogDeliveries), which take no resource either.
 *
 * CREATE-SIDE statements (create, update, tag, create or update a log delivery) come with the first resource of
 * their type, and DESTINATION-SPECIFIC ones (bucket policy, logs resource policy, Firehose tag) with the first
 * configuration that logs there: dropping them in the main phase of an update harms nothing that runs later.
 */

/** What any Delete needs on each resource type's `type/*` ARNs (only where the ownership tag names this stack). */
const DELETE_SIDE_ACTIONS: Record<IvsChatResourceType, string[]> = {
  'room': ['ivschat:DeleteRoom'],
  'logging-configuration': ['ivschat:DeleteLoggingConfiguration', 'ivschat:GetLoggingConfiguration'],
};
/** The create actions of each resource type: they need the ownership tag in the request. */
const CREATE_ACTIONS: Record<IvsChatResourceType, string> = {
  'room': 'ivschat:CreateRoom',
  'logging-configuration': 'ivschat:CreateLoggingConfiguration',
};
/** No tag key of the request is one of the provider's own (marker, owner): TagResource and UntagResource cannot touch them. */
const NOT_PROVIDER_TAG_KEYS = { 'ForAllValues:StringNotEquals': { 'aws:TagKeys': [MARKER_TAG_KEY, OWNER_TAG_KEY] } };
/** List actions (Service Authorization Reference: no resource type, so `*`); held to the stack's region. */
const DELETE_SIDE_LIST_ACTIONS = ['ivschat:ListRooms', 'ivschat:ListLoggingConfigurations'];
/** What deleting a logging configuration does in CloudWatch Logs' vended-log delivery (no resource-level permissions). */
const DELETE_SIDE_LOG_DELIVERY_ACTIONS = ['logs:DeleteLogDelivery', 'logs:GetLogDelivery', 'logs:ListLogDeliveries'];

/** Lambda's limit for the provider; the handler reports a result 20 s before it. */
const PROVIDER_TIMEOUT = Duration.minutes(10);
/**
 * Lambda drops an asynchronous event older than this (its least): an invocation that starts later could still be
 * creating after CloudFormation gave up (SERVICE_TIMEOUT = PROVIDER_TIMEOUT + MAX_EVENT_AGE).
 */
const MAX_EVENT_AGE = Duration.minutes(1);

/**
 * The stack's one Lambda function that serves every IVS Chat custom resource (rooms and
 * logging configurations). CloudFormation invokes it directly: no framework function in between.
 */
export class IvsChatProvider extends Construct {
  /** How long CloudFormation waits for an answer before it fails the resource. */
  public static readonly SERVICE_TIMEOUT = PROVIDER_TIMEOUT.plus(MAX_EVENT_AGE);

  /** Returns the stack's provider, creating it on first use. */
  public static of(scope: Construct): IvsChatProvider {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(IvsChatProvider.ID);
    return existing instanceof IvsChatProvider ? existing : new IvsChatProvider(stack, IvsChatProvider.ID);
  }


  private static readonly ID = 'CdkIvsChatProvider';

  public readonly function: lambda.Function;
  public readonly role: iam.Role;
  public readonly serviceToken: string;
  private readonly statementKeys = new Set<string>();
  /** Reasons for the wildcards cdk-nag's AwsSolutions-IAM5 would flag, read when the policy renders. */
  private readonly wildcardJustifications: NagSuppression[] = [];

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'LogGroup', { retention: logs.RetentionDays.ONE_MONTH });
    // Its own role, not AWSLambdaBasicExecutionRole: logs only to its own log group.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'IVS Chat custom resource provider (cdk-ivs-chat)',
    });
    this.function = new lambda.Function(this, 'Handler', {
      description: 'Creates, updates and deletes IVS Chat rooms and logging configurations (cdk-ivs-chat)',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      code: lambda.Code.fromAsset(path.join(__dirname, '..', '..', 'assets', 'handlers', 'provider', 'provider.lambda')),
      handler: 'index.handler',
      timeout: PROVIDER_TIMEOUT,
      memorySize: 256,
      role: this.role,
      logGroup,
      // CloudFormation invokes asynchronously; a Lambda retry would repeat a create.
      retryAttempts: 0,
      maxEventAge: MAX_EVENT_AGE,
    });
    logGroup.grantWrite(this.role);
    this.serviceToken = this.function.functionArn;
    this.allowDeletes();
  }

  /**
   * Adds the statement to the provider's role once, however many resources ask for it.
   * A statement with a wildcard resource says why in `wildcard`, for reviewers and cdk-nag.
   */
  public addStatementOnce({ key, statement, wildcard }: ProviderStatement): void {
    if (this.statementKeys.has(key)) return;
    this.statementKeys.add(key);
    this.role.addToPrincipalPolicy(statement());
    const justification = wildcard && { id: 'AwsSolutions-IAM5', reason: wildcard.reason, applies_to: wildcard.appliesTo };
    // Several statements share one justification (the same resource pattern, the same reason): the template says it once.
    if (justification && !this.wildcardJustifications.some((j) => JSON.stringify(j) === JSON.stringify(justification))) {
      this.wildcardJustifications.push(justification);
      const policy = this.role.node.tryFindChild('DefaultPolicy')?.node.defaultChild as CfnResource | undefined;
      if (policy && this.wildcardJustifications.length === 1) {
        // cdk-nag reads suppressions from this metadata key; the array fills as statements arrive.
        policy.addMetadata('cdk_nag', { rules_to_suppress: this.wildcardJustifications });
      }
    }
  }

  /**
   * Lets the provider call the create-side `actions` on resources of `resourceType` (once per type): a create only
   * with the ownership tag naming this stack in the request, the others only on resources carrying that tag, and
   * TagResource never adding, changing or removing the provider's own tags.
   */
  public allowOwned(resourceType: IvsChatResourceType, actions: string[]): void {
    const create = actions.filter((action) => action === CREATE_ACTIONS[resourceType]);
    const tag = actions.filter((action) => action === 'ivschat:TagResource') as string[];
    const owned = actions.filter((action) => !create.includes(action) && !tag.includes(action));
    const wildcard: WildcardJustification = {
      reason: `Create actions cannot be scoped to a ${resourceType} that does not exist yet; ${resourceType}/* limits ` +
        'the provider to this account and region, and the ownership tag condition to this stack\'s resources.',
      appliesTo: [ivsChatArnPattern(resourceType)],
    };
    this.addStatementOnce({
      key: `ivschat:${resourceType}`,
      statement: () => new iam.PolicyStatement({
        actions: create,
        resources: [this.arnFor(resourceType)],
        conditions: {
          'StringEquals': { [`aws:RequestTag/${OWNER_TAG_KEY}`]: this.stackId },
          'ForAnyValue:StringEquals': { 'aws:TagKeys': [OWNER_TAG_KEY] },
        },
      }),
      wildcard,
    });
    if (owned.length > 0) {
      this.addStatementOnce({
        key: `ivschat-owned:${resourceType}`,
        statement: () => new iam.PolicyStatement({ actions: owned, resources: [this.arnFor(resourceType)], conditions: this.ownedCondition() }),
        wildcard,
      });
    }
    if (tag.length > 0) {
      this.addStatementOnce({
        key: `ivschat-tag:${resourceType}`,
        statement: () => new iam.PolicyStatement({
          actions: tag,
          resources: [this.arnFor(resourceType)],
          conditions: { ...this.ownedCondition(), ...NOT_PROVIDER_TAG_KEYS },
        }),
        wildcard,
      });
    }
  }

  /** The provider's resources: those whose ownership tag holds this stack's id. */
  private ownedCondition(): Record<string, unknown> {
    return { StringEquals: { [`aws:ResourceTag/${OWNER_TAG_KEY}`]: this.stackId } };
  }

  /** This stack's id (`AWS::StackId`): the ownership tag's value. */
  private get stackId(): string {
    return Stack.of(this).stackId;
  }

  /** The delete-side statements (see the comment above DELETE_SIDE_ACTIONS): held whenever the provider exists. */
  private allowDeletes(): void {
    for (const resourceType of Object.keys(DELETE_SIDE_ACTIONS) as IvsChatResourceType[]) {
      const wildcard: WildcardJustification = {
        reason: `A Delete must work on any ${resourceType} this provider made, including ones a later deployment removed ` +
          `from the stack; ${resourceType}/* limits it to this account and region, and the ownership tag condition to this stack's resources.`,
        appliesTo: [ivsChatArnPattern(resourceType)],
      };
      this.addStatementOnce({
        key: `ivschat-delete:${resourceType}`,
        statement: () => new iam.PolicyStatement({
          actions: DELETE_SIDE_ACTIONS[resourceType], resources: [this.arnFor(resourceType)], conditions: this.ownedCondition(),
        }),
        wildcard,
      });
      this.addStatementOnce({
        key: `ivschat-untag:${resourceType}`,
        statement: () => new iam.PolicyStatement({
          actions: ['ivschat:UntagResource'],
          resources: [this.arnFor(resourceType)],
          conditions: { ...this.ownedCondition(), ...NOT_PROVIDER_TAG_KEYS },
        }),
        wildcard,
      });
      // The create's dependent TagResource, and the claim of a resource an older provider made (no ownership tag
      // yet): the ownership tag may be set to this stack only where it is missing or already this stack's.
      this.addStatementOnce({
        key: `ivschat-claim:${resourceType}`,
        statement: () => new iam.PolicyStatement({
          actions: ['ivschat:TagResource'],
          resources: [this.arnFor(resourceType)],
          conditions: {
            StringEquals: { [`aws:RequestTag/${OWNER_TAG_KEY}`]: this.stackId },
            StringEqualsIfExists: { [`aws:ResourceTag/${OWNER_TAG_KEY}`]: this.stackId },
          },
        }),
        wildcard,
      });
    }
    // What CloudFormation recorded for the provider's own resources: this stack only.
    this.addStatementOnce({
      key: 'cloudformation-describe',
      statement: () => new iam.PolicyStatement({ actions: ['cloudformation:DescribeStackResource'], resources: [this.stackId] }),
    });
    this.addStatementOnce({
      key: 'ivschat-delete:list',
      statement: () => new iam.PolicyStatement({
        actions: DELETE_SIDE_LIST_ACTIONS,
        resources: ['*'],
        conditions: { StringEquals: { 'aws:RequestedRegion': Stack.of(this).region } },
      }),
      wildcard: {
        reason: 'ListRooms and ListLoggingConfigurations (finding what a failed create made, naming the rooms that hold a ' +
          'configuration) take no resource in IAM; they are held to this stack\'s region.',
        appliesTo: ['Resource::*'],
      },
    });
    this.addStatementOnce({
      key: 'ivschat-delete:log-delivery',
      statement: () => new iam.PolicyStatement({ actions: DELETE_SIDE_LOG_DELIVERY_ACTIONS, resources: ['*'] }),
      wildcard: {
        reason: 'Deleting an IVS Chat logging configuration deletes its CloudWatch Logs log delivery; the logs:*LogDelivery* ' +
          'actions support no resource-level permissions.',
        appliesTo: ['Resource::*'],
      },
    });
  }

  /**
   * A custom resource served by this provider. With `DESTROY` it renders no DeletionPolicy at all:
   * Delete is CloudFormation's default, and the bytes add up over hundreds of rooms.
   */
  public newResource(scope: Construct, resourceType: string, properties: Record<string, unknown>,
    removalPolicy: RemovalPolicy = RemovalPolicy.DESTROY): CustomResource {
    const resource = new CustomResource(scope, 'Resource', {
      serviceToken: this.serviceToken,
      resourceType,
      serviceTimeout: IvsChatProvider.SERVICE_TIMEOUT,
      removalPolicy,
      properties,
    });
    if (removalPolicy === RemovalPolicy.DESTROY) {
      const cfn = resource.node.defaultChild as CfnResource;
      cfn.cfnOptions.deletionPolicy = undefined;
      cfn.cfnOptions.updateReplacePolicy = undefined;
    }
    return resource;
  }

  /** The ARN pattern of every resource of `resourceType` in this stack's account and region. */
  public arnFor(resourceType: IvsChatResourceType): string {
    return Stack.of(this).formatArn({ service: 'ivschat', resource: resourceType, resourceName: '*' });
  }
}
