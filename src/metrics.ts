import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { ivsChatMetric } from './private/metrics';

/**
 * Region-level metrics of Amazon IVS Chat (namespace `AWS/IVSChat`), for every room of the
 * account in the region where the metric's stack (or `props.region`) is.
 */
export class IvsChatMetrics {
  /**
   * Chat connections open at once, across all rooms (`ConcurrentChatConnections`).
   *
   * @default - maximum over 5 minutes
   */
  public static concurrentChatConnections(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return IvsChatMetrics.metric('ConcurrentChatConnections', { statistic: cloudwatch.Stats.MAXIMUM, ...props });
  }

  /**
   * Messages delivered to clients, across all rooms (`MessagingDeliveries`).
   *
   * @default - sum over 5 minutes
   */
  public static messagingDeliveries(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return IvsChatMetrics.metric('MessagingDeliveries', props);
  }

  /**
   * Messaging requests made by clients, across all rooms (`MessagingRequests`).
   *
   * @default - sum over 5 minutes
   */
  public static messagingRequests(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return IvsChatMetrics.metric('MessagingRequests', props);
  }

  /**
   * Any `AWS/IVSChat` metric by name, for metrics without a helper here.
   *
   * @default - sum over 5 minutes
   */
  public static metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return ivsChatMetric({ metricName }, props);
  }

  private constructor() {}
}
