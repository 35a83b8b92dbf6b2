import { IResource } from 'aws-cdk-lib';

/**
 * An Amazon IVS Chat logging configuration, made in this stack or imported.
 */
export interface ILoggingConfiguration extends IResource {
  /**
   * The logging configuration's ARN.
   * @attribute
   */
  readonly loggingConfigurationArn: string;

  /**
   * The logging configuration's 12-character id.
   * @attribute
   */
  readonly loggingConfigurationId: string;
}
