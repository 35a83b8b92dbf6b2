import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import type { DestinationResourceProperties } from './contract';
import type { ProviderStatement } from './provider';

/** A resource whose policy log delivery needs statements in (an S3 bucket). */
export interface IDestinationPolicyHolder {
  /** Adds a statement to the resource's policy (when this app manages it). */
  addToResourcePolicy(statement: iam.PolicyStatement): iam.AddToResourcePolicyResult;
}

/** What a logging configuration needs from its destination (`LoggingDestination._bind`); the configuration applies it. */
export interface DestinationBinding {
  /** The rendered `DestinationConfiguration`. */
  readonly destinationConfiguration: DestinationResourceProperties;
  /** What the configuration's custom resource depends on: log delivery checks the destination when it is created. */
  readonly dependable: IConstruct;
  /** What the provider's role needs to set up log delivery to this destination. */
  readonly providerStatements: ProviderStatement[];
  /** Statements log delivery needs in the destination's own policy, and where they go. */
  readonly resourcePolicy?: { readonly holder: IDestinationPolicyHolder; readonly statements: iam.PolicyStatement[] };
}
