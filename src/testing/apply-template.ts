/**
 * Applies the IVS Chat rooms and logging configurations of a synthesized stack template to a local IVS Chat
 * (`IvsChatStandIn`, `LocalIvsChat`) through the REAL provider bundle shipped in this package's `assets/`, driven
 * the way CloudFormation drives it: Create and Delete events, every property a string, the reply PUT to a
 * ResponseURL served by a tiny local HTTP server.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { CloudFormationStandIn } from './cloudformation';
import { LOGGING_CONFIGURATION_RESOURCE_TYPE, ROOM_RESOURCE_TYPE } from '../private/contract';

/** The provider bundle, as `lambda.Code.fromAsset` ships it (src/testing and lib/testing both sit two levels down). */
const PROVIDER_BUNDLE = path.join(__dirname, '..', '..', 'assets', 'handlers', 'provider', 'provider.lambda', 'index.js');
/** The provider accepts a non-S3 ResponseURL only under this prefix (never set in a deployed function). */
export const TEST_RESPONSE_URL_PREFIX_VARIABLE = 'CDK_IVS_CHAT_TEST_RESPONSE_URL_PREFIX';
/** The custom resource types this function applies; every other resource of the template is left alone. */
const APPLIED_TYPES: readonly string[] = [ROOM_RESOURCE_TYPE, LOGGING_CONFIGURATION_RESOURCE_TYPE];
/** The account the stand-in uses unless told otherwise. */
const DEFAULT_ACCOUNT = '123456789012';
/** The provider function's timeout (src/private/provider.ts): what the Lambda context counts down from. */
const DEFAULT_TIMEOUT_MS = 600_000;

/** Values for a resource or parameter of the template that this function does not create (a Lambda function, a bucket). */
export interface ExternalReference {
  /** What `Ref` to it resolves to. */
  readonly ref?: string;
  /** What `Fn::GetAtt` to it resolves to, by attribute name (`{ Arn: 'arn:aws:lambda:...' }`). */
  readonly attributes?: Readonly<Record<string, string>>;
}

/** A custom resource event as CloudFormation sends it to the provider. */
export interface CustomResourceRequest {
  readonly RequestType: 'Create' | 'Delete';
  readonly ServiceToken: string;
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly ResourceType: string;
  readonly PhysicalResourceId?: string;
  /** Every value a string, as CloudFormation passes them. */
  readonly ResourceProperties: Readonly<Record<string, unknown>>;
}

/** The reply the provider PUT to the ResponseURL. */
export interface CustomResourceResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly Data?: Readonly<Record<string, string>>;
}

export interface ApplyTemplateOptions {
  /** Environment that points an SDK client at the local IVS Chat: `standIn.environment()` (endpoint, region, credentials). */
  readonly environment: Readonly<Record<string, string>>;
  /**
   * Values for `Ref` / `Fn::GetAtt` to resources and parameters this function does not create, by logical id.
   * @default - none: such a reference fails before anything is created
   */
  readonly references?: Readonly<Record<string, ExternalReference>>;
  /**
   * More environment for the provider bundle, e.g. `AWS_ENDPOINT_URL_CLOUDFORMATION` of your own `CloudFormationStandIn`
   * (then feed it with `onRequest` / `onResponse`).
   * @default - a `CloudFormationStandIn` started for each apply or delete records each request and answer
   */
  readonly cloudFormationEnvironment?: Readonly<Record<string, string>>;
  /**
   * Called with each event before the provider runs it (a CloudFormation stand-in can learn the stack's resources).
   * @default - nothing
   */
  readonly onRequest?: (request: CustomResourceRequest) => void | Promise<void>;
  /**
   * Called with each event and the reply the provider PUT for it.
   * @default - nothing
   */
  readonly onResponse?: (request: CustomResourceRequest, response: CustomResourceResponse) => void | Promise<void>;
  /**
   * The stack's name (in the StackId and `AWS::StackName`).
   * @default 'LocalChat'
   */
  readonly stackName?: string;
  /**
   * The account of the provider and `AWS::AccountId`: the local IVS Chat's.
   * @default '123456789012'
   */
  readonly accountId?: string;
  /**
   * Receives each line the provider logs.
   * @default - the lines are dropped
   */
  readonly log?: (line: string) => void;
  /**
   * The time each invocation may take (the Lambda context counts it down).
   * @default 600000 (the provider function's timeout)
   */
  readonly timeoutMs?: number;
}

/** One resource the provider created. */
export interface AppliedResource {
  readonly logicalId: string;
  readonly resourceType: string;
  readonly physicalResourceId: string;
  /** `Fn::GetAtt` values (`Arn`, `Id`, `State`). */
  readonly attributes: Readonly<Record<string, string>>;
  /** The properties the Create event carried (intrinsics resolved, every value a string). */
  readonly properties: Readonly<Record<string, unknown>>;
}

/** A reference the template makes that this function cannot resolve. */
export class UnresolvableReferenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnresolvableReferenceError';
  }
}

/** The provider reported FAILED for an event (after a failed Create, what was created is deleted again). */
export class ProviderFailedError extends Error {
  constructor(readonly request: CustomResourceRequest, readonly response: CustomResourceResponse) {
    super(`${request.RequestType} of ${request.LogicalResourceId} (${request.ResourceType}) failed: ${response.Reason ?? '(no reason)'}`);
    this.name = 'ProviderFailedError';
  }
}

interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
  readonly DeletionPolicy?: string;
}

interface Template {
  readonly Resources?: Record<string, TemplateResource>;
  readonly Parameters?: Record<string, { readonly Default?: unknown }>;
}

/**
 * Creates the template's rooms and logging configurations (custom resources of the library's types) in the
 * local IVS Chat, in dependency order, each by a Create event to a fresh instance of the provider bundle. A
 * failed Create deletes what was created, as a rollback would, and throws `ProviderFailedError`.
 *
 * @param template the synthesized template (`Template.fromStack(stack).toJSON()`, or the cloud assembly's JSON)
 */
export async function applyTemplate(template: Readonly<Record<string, unknown>>, options: ApplyTemplateOptions): Promise<AppliedTemplate> {
  const applied = new AppliedTemplate(template as Template, options);
  await applied.create();
  return applied;
}

/** What `applyTemplate` created: physical ids and attributes by logical id, and `delete()` to remove them. */
export class AppliedTemplate {
  /** Every event sent and the reply to it, oldest first. */
  readonly history: { readonly request: CustomResourceRequest; readonly response: CustomResourceResponse }[] = [];
  private readonly created = new Map<string, AppliedResource>();
  private readonly order: string[];
  private readonly region: string;
  private readonly account: string;
  private readonly stackName: string;
  private readonly stackId: string;
  private readonly serviceToken: string;

  /** @internal */
  constructor(private readonly template: Template, private readonly options: ApplyTemplateOptions) {
    const region = options.environment.AWS_REGION ?? options.environment.AWS_DEFAULT_REGION;
    if (!region) throw new Error('applyTemplate: options.environment has no AWS_REGION (pass the local IVS Chat\'s environment())');
    this.region = region;
    this.account = options.accountId ?? DEFAULT_ACCOUNT;
    this.stackName = options.stackName ?? 'LocalChat';
    this.stackId = `arn:aws:cloudformation:${region}:${this.account}:stack/${this.stackName}/${randomUUID()}`;
    this.serviceToken = `arn:aws:lambda:${region}:${this.account}:function:${this.stackName}-IvsChatProvider`;
    this.order = this.creationOrder();
    // Fail before creating anything: every reference must resolve (our own resources' values are filled in later).
    for (const id of this.order) this.resolve(this.propertiesOf(id), `${id}.Properties`, true);
  }

  private get resources(): Readonly<Record<string, TemplateResource>> {
    return this.template.Resources ?? {};
  }

  /** What was created, by logical id. */
  get applied(): Readonly<Record<string, AppliedResource>> {
    return Object.fromEntries(this.created);
  }

  /** The physical id (the ARN) of the resource with this logical id. */
  physicalId(logicalId: string): string {
    return this.resource(logicalId).physicalResourceId;
  }

  /** The `Fn::GetAtt` value `attribute` (`Arn`, `Id`, `State`) of the resource with this logical id. */
  attribute(logicalId: string, attribute: string): string {
    const value = this.resource(logicalId).attributes[attribute];
    if (value === undefined) throw new Error(`${logicalId} has no attribute ${attribute}`);
    return value;
  }

  /**
   * Sends a Delete event for each created resource, dependents first, as a stack delete does: a resource with
   * `DeletionPolicy: Retain` or `RetainExceptOnCreate` is left in place (and forgotten here).
   */
  async delete(): Promise<void> {
    const ids = [...this.created.keys()].reverse();
    const retained = ids.filter((id) => /^Retain/.test(this.resources[id].DeletionPolicy ?? ''));
    await this.deleteAll(ids.filter((id) => !retained.includes(id)));
    for (const id of retained) this.created.delete(id);
  }

  /** A local CloudFormation stand-in is started for each apply or delete unless the caller points the provider at its own. */
  private get ownsCloudFormation(): boolean {
    return this.options.cloudFormationEnvironment?.AWS_ENDPOINT_URL_CLOUDFORMATION === undefined;
  }

  /** @internal */
  async create(): Promise<void> {
    await withResponseServer(this.ownsCloudFormation, async (server) => {
      for (const id of this.order) {
        const resource = this.resources[id];
        const properties = toCloudFormationStrings(this.resolve(this.propertiesOf(id), `${id}.Properties`, false)) as Record<string, unknown>;
        const request = this.request(server, 'Create', id, properties);
        const response = await this.send(server, request);
        const attributes = response.Status === 'SUCCESS' ? { ...response.Data } : {};
        this.created.set(id, { logicalId: id, resourceType: resource.Type, physicalResourceId: response.PhysicalResourceId, attributes, properties });
        if (response.Status !== 'SUCCESS') {
          // CloudFormation rolls back: the failed resource and everything made before it get a Delete.
          // A rollback of a create keeps only `Retain` resources (that is what `RetainExceptOnCreate` is for).
          const rollback = [...this.created.keys()].reverse().filter((created) => this.resources[created].DeletionPolicy !== 'Retain');
          const failed = new ProviderFailedError(request, response);
          await this.deleteAll(rollback, server).catch((err: Error) => {
            failed.message += `; the rollback failed too: ${err.message}`;
          });
          throw failed;
        }
      }
    });
  }

  private async deleteAll(ids: string[], server?: ResponseServer): Promise<void> {
    const run = async (s: ResponseServer) => {
      const failures: ProviderFailedError[] = [];
      for (const id of ids) {
        const resource = this.created.get(id)!;
        const request = this.request(s, 'Delete', id, resource.properties, resource.physicalResourceId);
        const response = await this.send(s, request);
        if (response.Status === 'SUCCESS') this.created.delete(id);
        else failures.push(new ProviderFailedError(request, response));
      }
      if (failures.length > 0) throw failures[0];
    };
    await (server ? run(server) : withResponseServer(this.ownsCloudFormation, run));
  }

  /** The resource's properties without its ServiceToken: the provider here is the bundle, whatever function the template names. */
  private propertiesOf(logicalId: string): Record<string, unknown> {
    const { ServiceToken: _serviceToken, ...properties } = this.resources[logicalId].Properties ?? {};
    return properties;
  }

  private resource(logicalId: string): AppliedResource {
    const resource = this.created.get(logicalId);
    if (!resource) {
      throw new Error(`${logicalId} was not created here: applied are ${[...this.created.keys()].join(', ') || 'none'}`);
    }
    return resource;
  }

  private request(server: ResponseServer, type: 'Create' | 'Delete', logicalId: string, properties: Record<string, unknown>,
    physicalId?: string): CustomResourceRequest {
    const requestId = randomUUID();
    return {
      RequestType: type,
      ServiceToken: this.serviceToken,
      ResponseURL: server.urlFor(requestId),
      StackId: this.stackId,
      RequestId: requestId,
      LogicalResourceId: logicalId,
      ResourceType: this.resources[logicalId].Type,
      ...(physicalId !== undefined ? { PhysicalResourceId: physicalId } : {}),
      ResourceProperties: { ...properties, ServiceToken: this.serviceToken },
    };
  }

  private async send(server: ResponseServer, request: CustomResourceRequest): Promise<CustomResourceResponse> {
    await this.options.onRequest?.(request);
    server.cloudFormation?.requestSent(request);
    const environment = {
      ...this.options.environment,
      ...server.cloudFormation?.environment(),
      ...this.options.cloudFormationEnvironment,
      [TEST_RESPONSE_URL_PREFIX_VARIABLE]: server.prefix,
    };
    await invokeFreshProvider(request, environment, this.options.log ?? (() => undefined), this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const body = server.take(request.RequestId);
    if (body === undefined) {
      throw new Error(`The provider sent no response for the ${request.RequestType} of ${request.LogicalResourceId}: it must PUT ` +
        `to the ResponseURL under ${server.prefix} (is ${TEST_RESPONSE_URL_PREFIX_VARIABLE} honoured by this bundle?)`);
    }
    const response = JSON.parse(body) as CustomResourceResponse;
    this.history.push({ request, response });
    await this.options.onResponse?.(request, response);
    return response;
  }

  /** The template's custom resources of the library's types, each after what it references or depends on. */
  private creationOrder(): string[] {
    const ours = Object.keys(this.resources).filter((id) => APPLIED_TYPES.includes(this.resources[id].Type));
    const dependencies = new Map(ours.map((id) => {
      const resource = this.resources[id];
      const dependsOn = typeof resource.DependsOn === 'string' ? [resource.DependsOn] : resource.DependsOn ?? [];
      const deps = new Set([...referencedIds(this.propertiesOf(id)), ...dependsOn].filter((dep) => ours.includes(dep) && dep !== id));
      return [id, deps];
    }));
    const order: string[] = [];
    const visiting = new Set<string>();
    const visit = (id: string, chain: string[]) => {
      if (order.includes(id)) return;
      if (visiting.has(id)) throw new Error(`Circular dependency between ${[...chain, id].join(' -> ')}`);
      visiting.add(id);
      for (const dep of dependencies.get(id)!) visit(dep, [...chain, id]);
      visiting.delete(id);
      order.push(id);
    };
    for (const id of ours) visit(id, []);
    return order;
  }

  /** `value` with every intrinsic function resolved; with `dryRun`, our own resources' values are placeholders. */
  private resolve(value: unknown, where: string, dryRun: boolean): unknown {
    if (Array.isArray(value)) return value.map((item, i) => this.resolve(item, `${where}[${i}]`, dryRun));
    if (!value || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    const fail = (why: string): never => {
      throw new UnresolvableReferenceError(`${where}: ${JSON.stringify(value)} ${why}`);
    };
    if (entries.length === 1 && (entries[0][0] === 'Ref' || entries[0][0].startsWith('Fn::') || entries[0][0] === 'Condition')) {
      const [fn, arg] = entries[0];
      const str = (v: unknown): string => (typeof v === 'string' ? v : fail(`needs a string, found ${JSON.stringify(v)}`));
      switch (fn) {
        case 'Ref':
          return this.ref(str(arg), fail, dryRun);
        case 'Fn::GetAtt': {
          const [id, attribute] = typeof arg === 'string' ? splitOnce(arg, '.') : (arg as unknown[]).map((v) => str(this.resolve(v, where, dryRun)));
          return this.getAtt(id, attribute, fail, dryRun);
        }
        case 'Fn::Join': {
          const [separator, list] = arg as [string, unknown];
          const items = this.resolve(list, where, dryRun);
          if (!Array.isArray(items)) fail('joins something that is not a list');
          return (items as unknown[]).map(str).join(separator);
        }
        case 'Fn::Select': {
          const [index, list] = arg as [unknown, unknown];
          const items = this.resolve(list, where, dryRun) as unknown[];
          const i = Number(this.resolve(index, where, dryRun));
          if (!Array.isArray(items) || !(i >= 0 && i < items.length)) fail('selects outside its list');
          return items[i];
        }
        case 'Fn::Split': {
          const [separator, source] = arg as [string, unknown];
          return str(this.resolve(source, where, dryRun)).split(separator);
        }
        case 'Fn::Sub': {
          const [text, variables] = typeof arg === 'string' ? [arg, {}] : arg as [string, Record<string, unknown>];
          return str(text).replace(/\$\{(!?)([^}]+)\}/g, (_match, literal: string, name: string) => {
            if (literal) return `\${${name}}`;
            if (variables && name in variables) return str(this.resolve(variables[name], where, dryRun));
            const [id, attribute] = splitOnce(name, '.');
            return attribute === undefined ? this.ref(id, fail, dryRun) : this.getAtt(id, attribute, fail, dryRun);
          });
        }
        default:
          return fail(`uses ${fn}, which applyTemplate does not evaluate`);
      }
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, this.resolve(v, `${where}.${k}`, dryRun)]));
  }

  private ref(name: string, fail: (why: string) => never, dryRun: boolean): string {
    const pseudo: Record<string, string> = {
      'AWS::Region': this.region,
      'AWS::AccountId': this.account,
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': this.stackName,
      'AWS::StackId': this.stackId,
    };
    if (name in pseudo) return pseudo[name];
    if (this.isOurs(name)) return dryRun ? `{${name}}` : this.resource(name).physicalResourceId;
    const external = this.options.references?.[name]?.ref ?? stringOrUndefined(this.template.Parameters?.[name]?.Default);
    if (external !== undefined) return external;
    return fail(`names ${name}, which applyTemplate does not create: pass its value in options.references (\`${name}: { ref: '...' }\`)`);
  }

  private getAtt(id: string, attribute: string | undefined, fail: (why: string) => never, dryRun: boolean): string {
    if (attribute === undefined) return fail('names no attribute');
    if (this.isOurs(id)) return dryRun ? `{${id}.${attribute}}` : this.attribute(id, attribute);
    const external = this.options.references?.[id]?.attributes?.[attribute];
    if (external !== undefined) return external;
    return fail(`names ${id}.${attribute}, which applyTemplate does not create: pass its value in options.references ` +
      `(\`${id}: { attributes: { ${attribute}: '...' } }\`)`);
  }

  private isOurs(id: string): boolean {
    return APPLIED_TYPES.includes(this.resources[id]?.Type ?? '');
  }
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

function stringOrUndefined(value: unknown): string | undefined {
  return value === undefined ? undefined : String(value);
}

/** Logical ids `value` names in Ref, Fn::GetAtt or Fn::Sub (pseudo parameters included; the caller filters). */
function referencedIds(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(referencedIds);
  if (!value || typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  const ids: string[] = [];
  if (typeof record.Ref === 'string') ids.push(record.Ref);
  const getAtt = record['Fn::GetAtt'];
  if (typeof getAtt === 'string') ids.push(splitOnce(getAtt, '.')[0]);
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') ids.push(getAtt[0]);
  const sub = record['Fn::Sub'];
  const subText = typeof sub === 'string' ? sub : Array.isArray(sub) && typeof sub[0] === 'string' ? sub[0] : '';
  for (const m of subText.matchAll(/\$\{([^!}][^}.]*)/g)) ids.push(m[1]);
  return [...ids, ...Object.values(record).flatMap(referencedIds)];
}

/** CloudFormation passes every number and boolean in a custom resource's properties as a string. */
function toCloudFormationStrings(value: unknown): unknown {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(toCloudFormationStrings);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toCloudFormationStrings(v)]));
  }
  return value;
}

/** Stands in for CloudFormation's pre-signed S3 ResponseURL: keeps the body PUT for each request id. */
class ResponseServer {
  static async start(): Promise<ResponseServer> {
    const server = new ResponseServer();
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.server.listen(0, '127.0.0.1', () => resolve());
    });
    return server;
  }

  /** The CloudFormation stand-in the provider asks after a Create, unless the caller brought its own. */
  cloudFormation?: CloudFormationStandIn;
  private readonly bodies = new Map<string, string>();
  private readonly server: Server;

  private constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const match = /^\/responses\/([^/?]+)/.exec(req.url ?? '');
        if (req.method === 'PUT' && match) {
          const body = Buffer.concat(chunks).toString('utf8');
          this.bodies.set(match[1], body);
          this.onBody(body);
        }
        res.writeHead(req.method === 'PUT' && match ? 200 : 404, { 'content-length': 0 });
        res.end();
      });
    });
  }

  /** Called with each body as it arrives, before the provider's PUT is answered (CloudFormation reads it then). */
  onBody: (body: string) => void = () => undefined;

  /** `http://127.0.0.1:PORT/`: every ResponseURL starts with it. */
  get prefix(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  /** A ResponseURL for `requestId`, with a query string like a pre-signed URL's. */
  urlFor(requestId: string): string {
    return `${this.prefix}responses/${requestId}?X-Amz-Signature=local`;
  }

  /** The body PUT for `requestId`, once. */
  take(requestId: string): string | undefined {
    const body = this.bodies.get(requestId);
    this.bodies.delete(requestId);
    return body;
  }

  async stop(): Promise<void> {
    await this.cloudFormation?.stop();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

async function withResponseServer<T>(ownCloudFormation: boolean, fn: (server: ResponseServer) => Promise<T>): Promise<T> {
  const server = await ResponseServer.start();
  try {
    if (ownCloudFormation) {
      // The provider reads back what CloudFormation recorded after each Create, and deletes what it made if that is not it.
      const cloudFormation = server.cloudFormation = await CloudFormationStandIn.start();
      server.onBody = (body) => cloudFormation.receiveAnswer(body);
    }
    return await fn(server);
  } finally {
    await server.stop();
  }
}

interface ProviderModule {
  handler(event: CustomResourceRequest, context: unknown): Promise<void>;
}

let bundleSource: string | undefined;
/** Invocations run one at a time: each sets process.env, which the bundle's SDK client reads. */
let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `event` through a NEW instance of the provider bundle (a fresh Lambda container: its own module-level SDK
 * client), with `environment` in process.env while it runs and its console lines sent to `log`.
 */
function invokeFreshProvider(event: CustomResourceRequest, environment: Record<string, string>, log: (line: string) => void,
  timeoutMs: number): Promise<void> {
  const run = async () => {
    const saved = Object.fromEntries(Object.keys(environment).map((k) => [k, process.env[k]]));
    Object.assign(process.env, environment);
    try {
      bundleSource ??= readFileSync(PROVIDER_BUNDLE, 'utf8');
      const module = { exports: {} as ProviderModule };
      const line = (...args: unknown[]) => log(args.map(String).join(' '));
      const console = { log: line, info: line, warn: line, error: line, debug: line };
      // The bundle's requires (the SDK the Lambda runtime provides) resolve as this module's do; `console` is shadowed.
      // eslint-disable-next-line @typescript-eslint/no-implied-eval
      new Function('module', 'exports', 'require', '__filename', '__dirname', 'console', bundleSource)(
        module, module.exports, require, PROVIDER_BUNDLE, path.dirname(PROVIDER_BUNDLE), console);
      const start = Date.now();
      await module.exports.handler(event, {
        functionName: event.ServiceToken.split(':').pop(),
        invokedFunctionArn: event.ServiceToken,
        awsRequestId: randomUUID(),
        memoryLimitInMB: '256',
        getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - start)),
      });
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  };
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
}
