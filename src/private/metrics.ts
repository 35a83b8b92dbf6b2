import { Duration, ResourceEnvironment } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/** The namespace IVS Chat publishes its metrics in. */
const NAMESPACE = 'AWS/IVSChat';

/** What sets one `AWS/IVSChat` metric apart from another. */
export interface IvsChatMetricSpec {
  /** The metric's name, e.g. `LogDestinationErrors`. */
  readonly metricName: string;
  /** Its dimensions; none for region-level metrics. */
  readonly dimensionsMap?: Record<string, string>;
  /** Where the resource is, for metrics of one resource (imports in other accounts or regions too). */
  readonly env?: ResourceEnvironment;
  /** Another namespace, for the library's own metrics (the message review function's). */
  readonly namespace?: string;
}

/**
 * Every `AWS/IVSChat` metric of the library: sum over 5 minutes unless `props` says otherwise.
 */
export function ivsChatMetric(spec: IvsChatMetricSpec, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: spec.namespace ?? NAMESPACE,
    metricName: spec.metricName,
    dimensionsMap: spec.dimensionsMap,
    statistic: cloudwatch.Stats.SUM,
    period: Duration.minutes(5),
    region: spec.env?.region,
    account: spec.env?.account,
    ...props,
  });
}
