import * as path from 'node:path';
import { CfnResource, CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { IvsChatResourceType } from './arn';

/** Why a statement needs a wildcard resource, in cdk-nag's terms. */
export interface WildcardJustification {
  /** The reason a reviewer reads. */
  readonly reason: string;
  /** The findings it covers, as cdk-nag names them, e.g. `Resource::arn:<AWS::Partition>:ivschat:<AWS::Region>:<AWS::AccountId>:room/*`. */
  readonly appliesTo: string[];
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
  readonly applies_to: string[];
}

/** Lambda's limit for the provider; the handler reports a result 20 s before it. */
const PROVIDER_TIMEOUT = Duration.minutes(10);

/**
 * The stack's one Lambda function that serves every IVS Chat custom resource (rooms and
 * logging configurations). CloudFormation invokes it directly: no framework function in between.
 */
export class IvsChatProvider extends Construct {
  /** How long CloudFormation waits for an answer before it fails the resource. */
  public static readonly SERVICE_TIMEOUT = PROVIDER_TIMEOUT.plus(Duration.minutes(1));

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
      code: lambda.Code.fromAsset(path.join(__dirname, '..', '..', 'assets', 'handlers', 'provider.lambda')),
      handler: 'index.handler',
      timeout: PROVIDER_TIMEOUT,
      memorySize: 256,
      role: this.role,
      logGroup,
      // CloudFormation invokes asynchronously; a Lambda retry would repeat a create.
      retryAttempts: 0,
    });
    logGroup.grantWrite(this.role);
    this.serviceToken = this.function.functionArn;
    this.allowMarkerLookup();
  }

  /**
   * The list actions a Delete needs to find what a failed create made (by its marker tag), and a create after an
   * unanswered attempt: granted whenever the provider exists, so they outlive the last resource of a type.
   */
  private allowMarkerLookup(): void {
    this.addStatementOnce({
      key: 'ivschat:list',
      statement: () => new iam.PolicyStatement({
        actions: ['ivschat:ListRooms', 'ivschat:ListLoggingConfigurations'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:RequestedRegion': Stack.of(this).region } },
      }),
      wildcard: {
        reason: 'ListRooms and ListLoggingConfigurations take no resource; the provider lists only to find what a create made ' +
          '(by its marker tag) and which rooms still hold a configuration, held to this stack\'s region.',
        appliesTo: ['Resource::*'],
      },
    });
  }

  /**
   * Adds the statement to the provider's role once, however many resources ask for it.
   * A statement with a wildcard resource says why in `wildcard`, for reviewers and cdk-nag.
   */
  public addStatementOnce({ key, statement, wildcard }: ProviderStatement): void {
    if (this.statementKeys.has(key)) return;
    this.statementKeys.add(key);
    this.role.addToPrincipalPolicy(statement());
    if (wildcard) {
      this.wildcardJustifications.push({ id: 'AwsSolutions-IAM5', reason: wildcard.reason, applies_to: wildcard.appliesTo });
      const policy = this.role.node.tryFindChild('DefaultPolicy')?.node.defaultChild as CfnResource | undefined;
      if (policy && this.wildcardJustifications.length === 1) {
        // cdk-nag reads suppressions from this metadata key; the array fills as statements arrive.
        policy.addMetadata('cdk_nag', { rules_to_suppress: this.wildcardJustifications });
      }
    }
  }

  /**
   * Lets the provider call `actions` on every resource of `resourceType` in this account and region
   * (once per type): create actions cannot name a resource that does not exist yet.
   */
  public allowOnAll(resourceType: IvsChatResourceType, actions: string[]): void {
    this.addStatementOnce({
      key: `ivschat:${resourceType}`,
      statement: () => new iam.PolicyStatement({ actions, resources: [this.arnFor(resourceType)] }),
      wildcard: {
        reason: `Create actions cannot be scoped to a ${resourceType} that does not exist yet; ${resourceType}/* limits ` +
          'the provider to this account and region.',
        appliesTo: [`Resource::arn:<AWS::Partition>:ivschat:<AWS::Region>:<AWS::AccountId>:${resourceType}/*`],
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
