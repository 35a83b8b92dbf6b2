import { App, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { ILoggingConfiguration, IvsChatMetrics, LoggingConfiguration, LoggingConfigurationBase } from '../src';

describe('IvsChatMetrics', () => {
  test.each([
    ['concurrentChatConnections', 'ConcurrentChatConnections', 'Maximum'],
    ['messagingDeliveries', 'MessagingDeliveries', 'Sum'],
    ['messagingRequests', 'MessagingRequests', 'Sum'],
  ] as const)('%s: %s, %s over 5 minutes, region-level (no dimensions)', (method, metricName, statistic) => {
    // WHEN
    const metric = IvsChatMetrics[method]();

    // THEN
    expect(metric.namespace).toEqual('AWS/IVSChat');
    expect(metric.metricName).toEqual(metricName);
    expect(metric.statistic).toEqual(statistic);
    expect(metric.period.toSeconds()).toEqual(300);
    expect(metric.dimensions).toBeUndefined();
  });

  test('options override the defaults', () => {
    // WHEN
    const metric = IvsChatMetrics.concurrentChatConnections({ statistic: 'p99', period: Duration.minutes(1), region: 'eu-west-1' });

    // THEN
    expect(metric.statistic).toEqual('p99');
    expect(metric.period.toSeconds()).toEqual(60);
    expect(metric.region).toEqual('eu-west-1');
  });

  test('metric() reaches any AWS/IVSChat metric, summed by default, and renders in an alarm', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Stack');

    // WHEN
    const metric = IvsChatMetrics.metric('Deliveries', { dimensionsMap: { Action: 'SEND_MESSAGE' } });
    new cloudwatch.Alarm(stack, 'Alarm', { metric, threshold: 1, evaluationPeriods: 1 });

    // THEN
    expect(metric.statistic).toEqual('Sum');
    expect(metric.dimensions).toEqual({ Action: 'SEND_MESSAGE' });
    const alarm = stack.resolve((stack.node.findChild('Alarm').node.defaultChild as cloudwatch.CfnAlarm).metricName);
    expect(alarm).toEqual('Deliveries');
  });
});

describe('logging configuration metrics', () => {
  const IMPORTED_ARN = 'arn:aws:ivschat:eu-west-1:210987654321:logging-configuration/LogCfg123456';

  test.each([
    ['metricLogDestinationErrors', 'LogDestinationErrors'],
    ['metricLogDestinationAccessDeniedErrors', 'LogDestinationAccessDeniedError'],
    ['metricLogDestinationResourceNotFoundErrors', 'LogDestinationResourceNotFoundErrors'],
  ] as const)('an imported configuration has %s (%s), summed over 5 minutes, in its own account and region', (method, metricName) => {
    // GIVEN a configuration imported from another account and region
    const stack = new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
    const imported: ILoggingConfiguration = LoggingConfiguration.fromLoggingConfigurationArn(stack, 'Imported', IMPORTED_ARN);

    // WHEN
    const metric = imported[method]();

    // THEN
    expect(metric).toMatchObject({ namespace: 'AWS/IVSChat', metricName, statistic: 'Sum', region: 'eu-west-1', account: '210987654321' });
    expect(metric.period.toSeconds()).toBe(300);
    expect(metric.dimensions).toEqual({ LoggingConfiguration: IMPORTED_ARN });
    expect(imported).toBeInstanceOf(LoggingConfigurationBase);
  });
});
