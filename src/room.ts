import {
  Annotations, Aspects, CfnDeletionPolicy, CfnResource, CustomResource, IResource, Lazy, RemovalPolicy, Resource, Stack,
  TagManager, TagType, ITaggable, Token,
} from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct, IConstruct } from 'constructs';
import type { ILoggingConfiguration } from './logging-configuration';
import { LIMITS } from './private/constants';
import {
  ATTR_ARN, ATTR_ID, LOGGING_CONFIGURATION_RESOURCE_TYPE, Rendered, ReviewHandlerResourceProperties, ROOM_PROPERTY,
  ROOM_RESOURCE_TYPE, RoomResourceProperties,
} from './private/contract';
import { childPath, ValidationError } from './private/errors';
import { ivsChatMetric } from './private/metrics';
import { IvsChatProvider } from './private/provider';
import { parseImportedArn, validateName, validateRange, validateSamePlacement, validateTags } from './private/validation';

/** What the provider calls on rooms to create and update them; what a Delete needs the provider always holds. */
const PROVIDER_ROOM_CREATE_ACTIONS = ['ivschat:CreateRoom', 'ivschat:UpdateRoom', 'ivschat:TagResource'];
const READ_ACTIONS = ['ivschat:GetRoom', 'ivschat:ListTagsForResource'];
/** Deletion policies that keep a resource when the stack deletes it. */
const KEPT_ON_DELETE: ReadonlyArray<CfnDeletionPolicy | undefined> = [CfnDeletionPolicy.RETAIN, CfnDeletionPolicy.RETAIN_EXCEPT_ON_CREATE];
/** Id of the one Lambda permission per review handler function, shared by every room using it. */
const REVIEW_HANDLER_PERMISSION_ID = 'IvsChatMessageReviewHandlerInvoke';

/**
 * An Amazon IVS Chat room, made in this stack or imported.
 */
export interface IRoom extends IResource {
  /**
   * The room's ARN.
   * @attribute
   */
  readonly roomArn: string;

  /**
   * The room's 12-character id.
   * @attribute
   */
  readonly roomId: string;

  /** Grants the given `ivschat:` actions on this room. */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

  /** Grants `ivschat:CreateChatToken`: hand out tokens that let users join this room. */
  grantCreateChatToken(grantee: iam.IGrantable): iam.Grant;

  /** Grants `ivschat:SendEvent`: send events to this room's clients. */
  grantSendEvent(grantee: iam.IGrantable): iam.Grant;

  /** Grants `ivschat:DeleteMessage`: delete messages in this room. */
  grantDeleteMessage(grantee: iam.IGrantable): iam.Grant;

  /** Grants `ivschat:DisconnectUser`: disconnect users from this room. */
  grantDisconnectUser(grantee: iam.IGrantable): iam.Grant;

  /** Grants `ivschat:DeleteMessage` and `ivschat:DisconnectUser`: moderate this room. */
  grantModerate(grantee: iam.IGrantable): iam.Grant;

  /** Grants `ivschat:GetRoom` and `ivschat:ListTagsForResource` on this room. */
  grantRead(grantee: iam.IGrantable): iam.Grant;
}

/**
 * What identifies a room made elsewhere.
 */
export interface RoomAttributes {
  /** The room's ARN, `arn:<partition>:ivschat:<region>:<account>:room/<id>`. */
  readonly roomArn: string;
}

/**
 * What owned and imported rooms share: the grants.
 */
export abstract class RoomBase extends Resource implements IRoom {
  public abstract readonly roomArn: string;
  public abstract readonly roomId: string;

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    if (actions.length === 0) {
      throw new ValidationError(this, 'Room.grant() needs at least one action, such as \'ivschat:CreateChatToken\'');
    }
    for (const action of actions) {
      if (!Token.isUnresolved(action) && !/^ivschat:[A-Za-z]+$/.test(action)) {
        throw new ValidationError(this, `Room.grant() takes named ivschat actions such as 'ivschat:CreateChatToken'. Received '${action}'`);
      }
    }
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.roomArn] });
  }

  public grantCreateChatToken(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'ivschat:CreateChatToken');
  }

  public grantSendEvent(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'ivschat:SendEvent');
  }

  public grantDeleteMessage(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'ivschat:DeleteMessage');
  }

  public grantDisconnectUser(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'ivschat:DisconnectUser');
  }

  public grantModerate(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'ivschat:DeleteMessage', 'ivschat:DisconnectUser');
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, ...READ_ACTIONS);
  }
}

/**
 * What IVS Chat does with a message when the review handler fails, times out or answers badly.
 */
export enum FallbackResult {
  /** Deliver the message. */
  ALLOW = 'ALLOW',
  /** Drop the message. */
  DENY = 'DENY',
}

/**
 * A Lambda function that reviews every message before IVS Chat delivers it.
 */
export interface MessageReviewHandler {
  /**
   * The function; it must be in the room's account and region. The library adds the
   * permission that lets IVS Chat invoke it.
   */
  readonly handler: lambda.IFunction;

  /**
   * What happens to a message when the handler fails, times out (200 ms) or answers badly.
   * @default FallbackResult.ALLOW
   */
  readonly fallbackResult?: FallbackResult;
}

/**
 * Properties of a room.
 */
export interface RoomProps {
  /**
   * The room's name: up to 128 letters, digits, `-` and `_`; need not be unique.
   * @default - no name
   */
  readonly roomName?: string;

  /**
   * The most characters (code points) one message may have, 1-500.
   * @default 500
   */
  readonly maximumMessageLength?: number;

  /**
   * The most messages per second all clients together may send, 1-100 (the API's range;
   * CloudFormation's `AWS::IVSChat::Room` allows only 1-10).
   * @default 10
   */
  readonly maximumMessageRatePerSecond?: number;

  /**
   * A Lambda function that reviews each message before delivery.
   * @default - messages are not reviewed
   */
  readonly messageReviewHandler?: MessageReviewHandler;

  /**
   * Logging configurations that record this room's messages, at most 3.
   * @default - the room's messages are not logged
   */
  readonly loggingConfigurations?: ILoggingConfiguration[];

  /**
   * What happens to the room when it leaves the stack: `DESTROY` deletes it, `RETAIN` keeps it.
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * An Amazon IVS Chat room, created through a custom resource that calls the IVS Chat API.
 *
 * @resource Custom::IvsChatRoom
 */
export class Room extends RoomBase implements ITaggable {
  /** Imports a room by its ARN. */
  public static fromRoomArn(scope: Construct, id: string, roomArn: string): IRoom {
    return Room.fromRoomAttributes(scope, id, { roomArn });
  }

  /** Imports a room from its attributes. */
  public static fromRoomAttributes(scope: Construct, id: string, attrs: RoomAttributes): IRoom {
    const roomId = parseImportedArn(childPath(scope, id), attrs.roomArn, 'room', 'roomArn');
    class Import extends RoomBase {
      public readonly roomArn = attrs.roomArn;
      public readonly roomId = roomId;
    }
    return new Import(scope, id, { environmentFromArn: attrs.roomArn });
  }

  public readonly roomArn: string;
  public readonly roomId: string;

  /** Tags of the room, applied through `Tags.of()`. */
  public readonly tags: TagManager;

  private readonly resource: CustomResource;
  private reviewHandler?: MessageReviewHandler;
  private readonly loggingConfigurations: ILoggingConfiguration[] = [];

  constructor(scope: Construct, id: string, props: RoomProps = {}) {
    super(scope, id);
    validateName(this, 'roomName', props.roomName, LIMITS.nameMaxLength, LIMITS.namePattern);
    validateRange(this, 'maximumMessageLength', props.maximumMessageLength,
      LIMITS.maximumMessageLength.min, LIMITS.maximumMessageLength.max);
    validateRange(this, 'maximumMessageRatePerSecond', props.maximumMessageRatePerSecond,
      LIMITS.maximumMessageRatePerSecond.min, LIMITS.maximumMessageRatePerSecond.max);

    this.tags = new TagManager(TagType.MAP, ROOM_RESOURCE_TYPE);
    this.node.addValidation({ validate: () => validateTags('room', this.tags.tagValues()) });

    const provider = IvsChatProvider.of(this);
    provider.allowOwned('room', PROVIDER_ROOM_CREATE_ACTIONS);

    // MessageReviewHandler and LoggingConfigurationIdentifiers are added as overrides when set.
    const properties: Rendered<RoomResourceProperties> = {
      Name: props.roomName || undefined,
      MaximumMessageLength: props.maximumMessageLength,
      MaximumMessageRatePerSecond: props.maximumMessageRatePerSecond,
      Tags: Lazy.any({ produce: () => this.tags.renderTags() }),
    };
    this.resource = provider.newResource(this, ROOM_RESOURCE_TYPE, { ...properties }, props.removalPolicy);

    this.roomArn = this.resource.getAttString(ATTR_ARN);
    this.roomId = this.resource.getAttString(ATTR_ID);

    if (props.messageReviewHandler) {
      this.setMessageReviewHandler(props.messageReviewHandler.handler, props.messageReviewHandler.fallbackResult);
    }
    for (const config of props.loggingConfigurations ?? []) {
      this.addLoggingConfiguration(config);
    }
  }

  /**
   * Sets the function that reviews each message, and adds the permission that lets IVS Chat
   * invoke it (one per function, for every room of this account and region).
   *
   * @param handler the function, in the room's account and region
   * @param fallbackResult what happens to a message when the handler fails; default ALLOW
   */
  public setMessageReviewHandler(handler: lambda.IFunction, fallbackResult?: FallbackResult): void {
    this.checkSameEnvironment(handler, 'messageReviewHandler');
    if (!this.reviewHandler) {
      // Rendered only for rooms that have one: hundreds of plain rooms resolve no extra token.
      this.cfnResource.addPropertyOverride(ROOM_PROPERTY.MessageReviewHandler, Lazy.any({ produce: () => this.renderReviewHandler() }));
    }
    this.reviewHandler = { handler, fallbackResult };
    const permission = this.allowIvsChatToInvoke(handler);
    if (permission) this.resource.node.addDependency(permission);
  }

  /**
   * Records this room's messages through the logging configuration (at most 3 per room).
   * The room depends on it, so a stack deletes the room first.
   */
  public addLoggingConfiguration(config: ILoggingConfiguration): void {
    if (this.loggingConfigurations.includes(config) || this.loggingConfigurations.some(
      (c) => !Token.isUnresolved(c.loggingConfigurationArn) && c.loggingConfigurationArn === config.loggingConfigurationArn)) {
      throw new ValidationError(this, `\`loggingConfigurations\` must not repeat a configuration. Received ${config.node.path} twice`);
    }
    this.checkSameEnvironment(config, 'loggingConfigurations');
    if (this.loggingConfigurations.length >= LIMITS.loggingConfigurationsPerRoom) {
      throw new ValidationError(this, `\`loggingConfigurations\` may hold at most ${LIMITS.loggingConfigurationsPerRoom} configurations per room ` +
        `(the IVS Chat API's limit). Received ${this.loggingConfigurations.length + 1}`);
    }
    if (this.loggingConfigurations.length === 0) {
      this.cfnResource.addPropertyOverride(ROOM_PROPERTY.LoggingConfigurationIdentifiers,
        Lazy.list({ produce: () => this.loggingConfigurations.map((c) => c.loggingConfigurationArn) }));
      // Checked when the app synthesizes (aspects run then), so later removal policies and configurations count;
      // a warning, not an error. Only rooms with configurations pay for the aspect: hundreds of plain rooms do not.
      Aspects.of(this).add({ visit: (node) => (node === this ? this.warnIfRetainedWithDestroyedConfigurations() : undefined) });
    }
    this.loggingConfigurations.push(config);
    this.resource.node.addDependency(config);
  }

  /**
   * Errors the message review handler raised (`InvocationErrors`, dimension `Uri`).
   *
   * @default - sum over 5 minutes
   */
  public metricReviewHandlerInvocationErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.reviewHandlerMetric('InvocationErrors', props);
  }

  /**
   * Answers of the message review handler that IVS Chat could not use (`ResponseValidationErrors`, dimension `Uri`).
   *
   * @default - sum over 5 minutes
   */
  public metricReviewHandlerResponseValidationErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.reviewHandlerMetric('ResponseValidationErrors', props);
  }

  private reviewHandlerMetric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    if (!this.reviewHandler) {
      throw new ValidationError(this, `The room has no messageReviewHandler: its ${metricName} metric does not exist`);
    }
    return ivsChatMetric({ metricName, dimensionsMap: { Uri: this.reviewHandler.handler.functionArn }, env: this.env }, props);
  }

  private get cfnResource(): CfnResource {
    return this.resource.node.defaultChild as CfnResource;
  }

  private renderReviewHandler(): ReviewHandlerResourceProperties | undefined {
    if (!this.reviewHandler) return undefined;
    return {
      Uri: this.reviewHandler.handler.functionArn,
      FallbackResult: this.reviewHandler.fallbackResult ?? FallbackResult.ALLOW,
    };
  }

  /** Adds (once per function) the permission IVS Chat needs; returns it, or undefined if this stack cannot. */
  private allowIvsChatToInvoke(handler: lambda.IFunction): IConstruct | undefined {
    const stack = Stack.of(this);
    const sourceArn = stack.formatArn({ service: 'ivschat', resource: 'room', resourceName: '*' });
    const existing = handler.permissionsNode.tryFindChild(REVIEW_HANDLER_PERMISSION_ID);
    if (existing) return existing;
    handler.addPermission(REVIEW_HANDLER_PERMISSION_ID, {
      principal: new iam.ServicePrincipal('ivschat.amazonaws.com'),
      action: 'lambda:InvokeFunction',
      sourceAccount: stack.account,
      sourceArn,
    });
    const created = handler.permissionsNode.tryFindChild(REVIEW_HANDLER_PERMISSION_ID);
    if (!created) {
      // The message is read by people: spell out what is known, name what only deployment knows.
      const shown = (value: string, placeholder: string) => (Token.isUnresolved(value) ? placeholder : value);
      const account = shown(stack.account, '<this stack\'s account>');
      const region = shown(stack.region, '<this stack\'s region>');
      const partition = !Token.isUnresolved(stack.partition) ? stack.partition
        : (!Token.isUnresolved(stack.region) && RegionInfo.get(stack.region).partition) || '<partition>';
      const functionArn = shown(handler.functionArn, `<ARN of ${handler.node.path}>`);
      Annotations.of(this).addWarningV2('cdk-ivs-chat:reviewHandlerPermission',
        `This stack cannot change the resource policy of the imported function ${functionArn}. ` +
        'Add this permission yourself or IVS Chat cannot invoke the message review handler: ' +
        `aws lambda add-permission --function-name ${functionArn} --statement-id ivschat-invoke ` +
        `--action lambda:InvokeFunction --principal ivschat.amazonaws.com --source-account ${account} ` +
        `--source-arn arn:${partition}:ivschat:${region}:${account}:room/*`);
    }
    return created;
  }

  /**
   * A kept room keeps its logging configurations attached: one the stack deletes then fails to delete
   * (the service refuses while a room uses it), and the stack's deletion ends in DELETE_FAILED.
   */
  private warnIfRetainedWithDestroyedConfigurations(): void {
    if (!KEPT_ON_DELETE.includes(this.cfnResource.cfnOptions.deletionPolicy)) return;
    const destroyed = this.loggingConfigurations.filter((config) => {
      // Only configurations of this app have a deletion policy; imports are never deleted by the stack.
      const cfn = config.node.tryFindChild('Resource')?.node.defaultChild;
      return cfn instanceof CfnResource && cfn.cfnResourceType === LOGGING_CONFIGURATION_RESOURCE_TYPE
        && !KEPT_ON_DELETE.includes(cfn.cfnOptions.deletionPolicy);
    });
    if (destroyed.length === 0) return;
    const names = destroyed.map((config) => config.node.path).join(', ');
    Annotations.of(this).addWarningV2('cdk-ivs-chat:retainedRoomDestroyedLoggingConfiguration',
      `Room ${this.node.path} is retained when the stack deletes it, but its logging configuration(s) ${names} ` +
      'are deleted (RemovalPolicy.DESTROY): they stay attached to the kept room, IVS Chat refuses to delete them, and ' +
      'the stack\'s deletion ends in DELETE_FAILED. Either retain the configuration(s) too (removalPolicy: RemovalPolicy.RETAIN), ' +
      'or detach them first: remove them from the room\'s loggingConfigurations and deploy before deleting the stack.');
  }

  /** The review handler and logging configurations must be in the room's account and region (tokens pass). */
  private checkSameEnvironment(resource: IResource, property: string): void {
    validateSamePlacement(this, this.env, resource.env, (field, mine, theirs) =>
      `\`${property}\` must be in the room's ${field} (${mine}). Received ${resource.node.path} in ${field} ${theirs}`);
  }
}
