import { IConstruct } from 'constructs';

/**
 * A synth-time error about one construct's input. Its message starts with the construct's path, as
 * aws-cdk-lib's own validation errors do (`[Stack/Lobby] ...`), so `cdk synth` points at the user's code.
 * aws-cdk-lib's `ValidationError` is `@internal` and its constructor changed across the peer range, so the
 * library keeps its own.
 */
export class ValidationError extends Error {
  /** The path of the construct the error is about. */
  public readonly constructPath: string;

  /**
   * @param scope the construct whose input is wrong, or the path of one being created
   * @param message what is wrong: the property, the value received and the limit
   */
  constructor(scope: IConstruct | string, message: string) {
    const path = typeof scope === 'string' ? scope : scope.node.path;
    super(`[${path}] ${message}`);
    this.name = 'ValidationError';
    this.constructPath = path;
  }
}

/** The path a construct will have once `id` is created under `scope`: for checks made before it exists. */
export function childPath(scope: IConstruct, id: string): string {
  return scope.node.path ? `${scope.node.path}/${id}` : id;
}
