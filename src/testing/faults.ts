import { conflictError, internalError, invalidLambdaPermissionError, ServiceError, throttlingError } from './errors';
import { FailedTransitionState, OperationName, ResourceType } from './model';

/** Named faults, each reproducing an answer the real service gives. */
export const FAULT_KINDS = ['throttling', 'internal', 'conflict', 'invalidLambdaPermission'] as const;
export type FaultKind = typeof FAULT_KINDS[number];

/** Any other error answer: `name` becomes `x-amzn-errortype`, `fields` are merged into the JSON body. */
export interface CustomFault {
  readonly name: string;
  readonly status: number;
  readonly message?: string;
  readonly fields?: Readonly<Record<string, unknown>>;
}

export type Fault = FaultKind | CustomFault;

/** What a fault needs to know about the request it replaces, to fill the exception's members. */
export interface FaultContext {
  readonly operation: OperationName;
  readonly resourceType: ResourceType;
  readonly resourceId: string;
  /** The operation's TPS quota, reported as ThrottlingException.limit. */
  readonly limit: number;
}

/** Only these operations check a review handler's Lambda permission. */
const LAMBDA_PERMISSION_OPERATIONS: readonly OperationName[] = ['CreateRoom', 'UpdateRoom'];

export function faultToError(fault: Fault, context: FaultContext): ServiceError {
  if (typeof fault !== 'string') {
    return new ServiceError(fault.name, fault.status, fault.message ?? `Injected ${fault.name}`, fault.fields);
  }
  switch (fault) {
    case 'throttling':
      return throttlingError(context.resourceType, context.resourceId, context.limit);
    case 'internal':
      return internalError();
    case 'conflict':
      return conflictError(context.resourceType, context.resourceId, `Conflicting ${context.operation} in progress`);
    case 'invalidLambdaPermission':
      return invalidLambdaPermissionError();
  }
}

/**
 * Faults that strike after the stand-in has done the request: `internal` answers 500 InternalServerException,
 * `noAnswer` never answers (the client times out). Either way the resource was created, changed or deleted.
 */
export type AfterCommitFault = 'internal' | 'noAnswer';

/** Queued faults, per-operation latency and forced logging-configuration transition failures. */
export class FaultInjector {
  private readonly queues = new Map<OperationName, Fault[]>();
  private readonly afterCommit = new Map<OperationName, AfterCommitFault[]>();
  private readonly latencies = new Map<OperationName, number>();
  private readonly transitionFailures: Record<FailedTransitionState, number> = { CREATE_FAILED: 0, UPDATE_FAILED: 0 };

  failNext(operation: OperationName, count: number, fault: Fault): void {
    if (!Number.isInteger(count) || count < 1) throw new Error(`failNext: count must be a positive integer, got ${count}`);
    if (fault === 'invalidLambdaPermission' && !LAMBDA_PERMISSION_OPERATIONS.includes(operation)) {
      throw new Error(`failNext: 'invalidLambdaPermission' only happens on ${LAMBDA_PERMISSION_OPERATIONS.join(' / ')}, not ${operation}`);
    }
    if (typeof fault === 'string' && !(FAULT_KINDS as readonly string[]).includes(fault)) {
      throw new Error(`failNext: unknown fault '${fault}'; use one of ${FAULT_KINDS.join(', ')} or a custom fault`);
    }
    const queue = this.queues.get(operation) ?? [];
    for (let i = 0; i < count; i++) queue.push(fault);
    this.queues.set(operation, queue);
  }

  failNextAfterCommit(operation: OperationName, count: number, fault: AfterCommitFault): void {
    if (!Number.isInteger(count) || count < 1) throw new Error(`failNextAfterCommit: count must be a positive integer, got ${count}`);
    const queue = this.afterCommit.get(operation) ?? [];
    for (let i = 0; i < count; i++) queue.push(fault);
    this.afterCommit.set(operation, queue);
  }

  /** Removes and returns the next after-commit fault queued for the operation, if any. */
  takeAfterCommit(operation: OperationName): AfterCommitFault | undefined {
    return this.afterCommit.get(operation)?.shift();
  }

  /** Removes and returns the next fault queued for the operation, if any. */
  take(operation: OperationName): Fault | undefined {
    return this.queues.get(operation)?.shift();
  }

  /** Faults still queued for one operation, or for all of them. */
  pending(operation?: OperationName): number {
    const queues = [...this.queues, ...this.afterCommit].filter(([op]) => !operation || op === operation);
    return queues.reduce((sum, [, queue]) => sum + queue.length, 0);
  }

  setLatency(operation: OperationName, ms: number): void {
    if (!(ms >= 0)) throw new Error(`setLatency: ms must be >= 0, got ${ms}`);
    this.latencies.set(operation, ms);
  }

  latencyOf(operation: OperationName): number {
    return this.latencies.get(operation) ?? 0;
  }

  failNextTransition(state: FailedTransitionState, count: number): void {
    if (!Number.isInteger(count) || count < 1) throw new Error(`failNextLoggingConfigurationTransition: count must be a positive integer, got ${count}`);
    this.transitionFailures[state] += count;
  }

  /** Consumes one forced failure for a transition of this kind, if one is queued. */
  takeTransitionFailure(state: FailedTransitionState): boolean {
    if (this.transitionFailures[state] === 0) return false;
    this.transitionFailures[state] -= 1;
    return true;
  }

  reset(): void {
    this.queues.clear();
    this.afterCommit.clear();
    this.latencies.clear();
    this.transitionFailures.CREATE_FAILED = 0;
    this.transitionFailures.UPDATE_FAILED = 0;
  }
}
