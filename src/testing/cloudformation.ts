/**
 * A local stand-in for what CloudFormation records about custom resources, for tests of a custom-resource
 * provider: it records what CloudFormation would record when a request is sent and when the provider's answer
 * arrives at the ResponseURL (the first answer to the request in progress is taken, later ones are ignored), it
 * cancels creates in flight as CloudFormation does when another resource fails (CREATE_FAILED "Resource creation
 * cancelled", a Delete with a made-up physical id), and it serves `DescribeStackResource` (AWS query protocol) to
 * the SDK's real `CloudFormationClient` through `AWS_ENDPOINT_URL_CLOUDFORMATION`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** A request CloudFormation sends to a custom resource's provider (the fields this stand-in reads). */
export interface SentRequest {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly StackId: string;
  readonly LogicalResourceId: string;
  readonly RequestId: string;
  readonly ResourceType: string;
  readonly PhysicalResourceId?: string;
}

/** What CloudFormation holds for one logical resource of a stack. */
export interface StackResourceRecord {
  readonly stackId: string;
  readonly logicalResourceId: string;
  readonly resourceType: string;
  /** `CREATE_IN_PROGRESS`, `CREATE_COMPLETE`, `CREATE_FAILED`, `DELETE_IN_PROGRESS`... */
  readonly status: string;
  readonly statusReason?: string;
  /** Absent while a create is in progress. */
  readonly physicalResourceId?: string;
  /** The request CloudFormation last sent for it (the one it waits for while a status ends in `_IN_PROGRESS`). */
  readonly requestId: string;
}

/** One answer that arrived at a ResponseURL, and whether CloudFormation took it. */
export interface ReceivedAnswer {
  readonly requestId: string;
  readonly logicalResourceId: string;
  readonly status: string;
  readonly physicalResourceId: string;
  readonly taken: boolean;
}

type MutableRecord = { -readonly [K in keyof StackResourceRecord]: StackResourceRecord[K] };

const key = (stackId: string, logicalResourceId: string) => `${stackId}\n${logicalResourceId}`;
const NAMESPACE = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';

export class CloudFormationStandIn {
  /** Starts a stand-in listening on 127.0.0.1 (a free port). */
  static async start(): Promise<CloudFormationStandIn> {
    const standIn = new CloudFormationStandIn();
    await new Promise<void>((resolve, reject) => {
      standIn.server.once('error', reject);
      standIn.server.listen(0, '127.0.0.1', () => {
        standIn.server.off('error', reject);
        resolve();
      });
    });
    return standIn;
  }

  private readonly server: Server;
  private readonly records = new Map<string, MutableRecord>();
  private readonly stacks = new Set<string>();
  private readonly received: ReceivedAnswer[] = [];
  private describeCount = 0;
  private describeFailures = 0;

  private constructor() {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => res.destroy());
    });
  }

  /** `http://127.0.0.1:PORT`. */
  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Points an SDK `CloudFormationClient` built with no endpoint at the stand-in. */
  environment(): Record<string, string> {
    return { AWS_ENDPOINT_URL_CLOUDFORMATION: this.endpoint };
  }

  /** A ResponseURL served by this stand-in for `requestId` (a PUT to it is `receiveAnswer`). */
  responseUrlFor(requestId: string): string {
    return `${this.endpoint}/responses/${encodeURIComponent(requestId)}?X-Amz-Signature=standin`;
  }

  /**
   * CloudFormation sends `request`: a Create puts the resource in CREATE_IN_PROGRESS with no physical id, an Update
   * or a Delete in UPDATE_ / DELETE_IN_PROGRESS. A request it already sent (the same RequestId: Lambda delivering
   * it again) changes nothing.
   */
  requestSent(request: SentRequest): void {
    this.stacks.add(request.StackId);
    const k = key(request.StackId, request.LogicalResourceId);
    const existing = this.records.get(k);
    if (existing?.requestId === request.RequestId) return;
    const status = `${request.RequestType.toUpperCase()}_IN_PROGRESS`;
    this.records.set(k, {
      stackId: request.StackId,
      logicalResourceId: request.LogicalResourceId,
      resourceType: request.ResourceType,
      status,
      physicalResourceId: request.RequestType === 'Create' ? undefined : request.PhysicalResourceId ?? existing?.physicalResourceId,
      requestId: request.RequestId,
    });
  }

  /**
   * An answer arrives at a ResponseURL (the JSON body a provider PUTs). CloudFormation takes it only if it answers
   * the request it is waiting for; anything else (a late answer after a cancel, a second delivery's answer) is
   * ignored. Returns whether it was taken.
   */
  receiveAnswer(body: string): boolean {
    const answer = JSON.parse(body) as {
      Status: string; PhysicalResourceId: string; StackId: string; RequestId: string; LogicalResourceId: string; Reason?: string;
    };
    const record = this.records.get(key(answer.StackId, answer.LogicalResourceId));
    const taken = record !== undefined && record.requestId === answer.RequestId && record.status.endsWith('_IN_PROGRESS');
    this.received.push({
      requestId: answer.RequestId,
      logicalResourceId: answer.LogicalResourceId,
      status: answer.Status,
      physicalResourceId: answer.PhysicalResourceId,
      taken,
    });
    if (!taken) return false;
    const operation = record.status.slice(0, -'_IN_PROGRESS'.length);
    record.status = `${operation}_${answer.Status === 'SUCCESS' ? 'COMPLETE' : 'FAILED'}`;
    record.statusReason = answer.Status === 'SUCCESS' ? undefined : answer.Reason;
    record.physicalResourceId = answer.PhysicalResourceId;
    return true;
  }

  /**
   * Another resource failed while this create was in flight: CloudFormation marks it CREATE_FAILED ("Resource
   * creation cancelled"), stops waiting for its answer, and makes up the physical id its Delete will carry
   * (`<stack name>-<logical id>-<random>`), which it returns.
   */
  cancelCreate(stackId: string, logicalResourceId: string): string {
    const record = this.records.get(key(stackId, logicalResourceId));
    if (!record || record.status !== 'CREATE_IN_PROGRESS') {
      throw new Error(`${logicalResourceId} is not being created (${record?.status ?? 'unknown'}): nothing to cancel`);
    }
    const stackName = stackId.split('/')[1] ?? 'stack';
    record.status = 'CREATE_FAILED';
    record.statusReason = 'Resource creation cancelled';
    record.physicalResourceId = `${stackName}-${logicalResourceId}-${randomBytes(6).toString('hex').toUpperCase()}`;
    return record.physicalResourceId;
  }

  /** The resource leaves the stack's records: a rollback or a cleanup finished, or a RETAINed resource was removed. */
  removeResource(stackId: string, logicalResourceId: string): void {
    this.records.delete(key(stackId, logicalResourceId));
  }

  /** What CloudFormation holds for the resource, if anything. */
  record(stackId: string, logicalResourceId: string): StackResourceRecord | undefined {
    const record = this.records.get(key(stackId, logicalResourceId));
    return record ? { ...record } : undefined;
  }

  /** Every answer that arrived, in order, with whether it was taken. */
  answers(): ReceivedAnswer[] {
    return [...this.received];
  }

  /** How many DescribeStackResource calls were served. */
  describeCalls(): number {
    return this.describeCount;
  }

  /** The next `count` DescribeStackResource calls answer HTTP 500 (InternalFailure). */
  failNextDescribes(count: number): void {
    this.describeFailures += count;
  }

  /** Forgets every record, answer and pending failure. */
  reset(): void {
    this.records.clear();
    this.stacks.clear();
    this.received.length = 0;
    this.describeCount = 0;
    this.describeFailures = 0;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    if (req.method === 'PUT' && (req.url ?? '').startsWith('/responses/')) {
      this.receiveAnswer(body);
      res.writeHead(200).end();
      return;
    }
    const params = new URLSearchParams(body);
    if (req.method !== 'POST' || params.get('Action') !== 'DescribeStackResource') {
      return this.error(res, 400, 'Sender', 'InvalidAction', `The action ${params.get('Action') ?? '(none)'} is not valid for this stand-in`);
    }
    this.describeCount += 1;
    if (this.describeFailures > 0) {
      this.describeFailures -= 1;
      return this.error(res, 500, 'Receiver', 'InternalFailure', 'The stand-in was told to fail this call');
    }
    const stackName = params.get('StackName') ?? '';
    const logicalResourceId = params.get('LogicalResourceId') ?? '';
    if (!this.stacks.has(stackName)) {
      return this.error(res, 400, 'Sender', 'ValidationError', `Stack with id ${stackName} does not exist`);
    }
    const record = this.records.get(key(stackName, logicalResourceId));
    if (!record) {
      return this.error(res, 400, 'Sender', 'ValidationError', `Resource ${logicalResourceId} does not exist for stack ${stackName}`);
    }
    const fields: Array<[string, string | undefined]> = [
      ['StackName', stackName.split('/')[1] ?? stackName], ['StackId', record.stackId], ['LogicalResourceId', record.logicalResourceId],
      ['PhysicalResourceId', record.physicalResourceId], ['ResourceType', record.resourceType],
      ['LastUpdatedTimestamp', new Date().toISOString()], ['ResourceStatus', record.status], ['ResourceStatusReason', record.statusReason],
    ];
    const detail = fields.filter(([, v]) => v !== undefined).map(([k, v]) => `<${k}>${escapeXml(v!)}</${k}>`).join('');
    res.writeHead(200, { 'content-type': 'text/xml' }).end(`<DescribeStackResourceResponse xmlns="${NAMESPACE}">` +
      `<DescribeStackResourceResult><StackResourceDetail>${detail}</StackResourceDetail></DescribeStackResourceResult>` +
      `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></DescribeStackResourceResponse>`);
  }

  private error(res: ServerResponse, status: number, type: string, code: string, message: string): void {
    res.writeHead(status, { 'content-type': 'text/xml' }).end(`<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>${type}</Type>` +
      `<Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`);
  }
}

function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
