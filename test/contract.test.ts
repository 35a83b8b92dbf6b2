/**
 * The construct/handler contract: every property a construct renders is one the handler reads, and every
 * property the handler reads is one a construct renders; and each property name is spelled in one file only.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack, Tags } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ts from 'typescript';
import { sourceFiles } from './source-files';
import { FallbackResult, LoggingConfiguration, LoggingDestination, Room } from '../src';
import { parseLoggingConfigurationProperties } from '../src/handlers/provider/logging-configuration';
import { parseRoomProperties } from '../src/handlers/provider/room';
import {
  DESTINATION_NAME_KEYS, LOGGING_CONFIGURATION_PROPERTY, LOGGING_CONFIGURATION_RESOURCE_TYPE, REVIEW_HANDLER_PROPERTY,
  ROOM_PROPERTY, ROOM_RESOURCE_TYPE,
} from '../src/private/contract';

const ENV = { account: '123456789012', region: 'us-east-1' };

/** Properties of the one resource of `type`, as CloudFormation would pass them: intrinsics resolved to strings, numbers as strings. */
function receivedProperties(stack: Stack, type: string): Record<string, unknown> {
  const resources = Template.fromStack(stack).findResources(type);
  const [resource] = Object.values(resources);
  // CloudFormation's own properties, not the handler's.
  const { ServiceToken, ServiceTimeout, ...properties } = resource.Properties as Record<string, unknown>;
  expect([ServiceToken, ServiceTimeout]).not.toContain(undefined);
  return asCloudFormationPasses(properties) as Record<string, unknown>;
}

function asCloudFormationPasses(value: unknown): unknown {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(asCloudFormationPasses);
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) return `resolved-${keys[0]}`;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asCloudFormationPasses(v)]));
  }
  return value;
}

/** Every path to a leaf of `value` (`MessageReviewHandler.Uri`); a list is a leaf. */
function leafPaths(value: unknown, prefix = ''): string[] {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
  }
  return [prefix];
}

/** Runs `parse` over `value` and returns the path of every property it read. */
function pathsRead(value: Record<string, unknown>, parse: (props: Record<string, unknown>) => unknown): Set<string> {
  const read = new Set<string>();
  const wrap = (target: Record<string, unknown>, prefix: string): Record<string, unknown> => new Proxy(target, {
    get(obj, key) {
      const inner = Reflect.get(obj, key);
      if (typeof key !== 'string' || key === 'toJSON') return inner; // JSON.stringify asks for toJSON
      const at = prefix ? `${prefix}.${key}` : key;
      read.add(at);
      return inner && typeof inner === 'object' && !Array.isArray(inner) ? wrap(inner as Record<string, unknown>, at) : inner;
    },
  });
  parse(wrap(value, ''));
  return read;
}

/** Checks both directions: rendered ⊆ read, read ⊆ rendered (or a prefix of something rendered). */
function expectSameContract(received: Record<string, unknown>, parse: (props: Record<string, unknown>) => unknown): void {
  const rendered = leafPaths(received);
  const read = pathsRead(received, parse);
  const renderedOrPrefix = new Set(rendered.flatMap((p) => p.split('.').map((_, i, parts) => parts.slice(0, i + 1).join('.'))));
  expect(rendered.filter((p) => !read.has(p))).toEqual([]);
  expect([...read].filter((p) => !renderedOrPrefix.has(p))).toEqual([]);
}

describe('rooms', () => {
  test('a room with every property renders only what the handler reads, and the handler reads nothing it does not render', () => {
    // GIVEN a room that sets every property there is
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const reviewFn = lambda.Function.fromFunctionArn(stack, 'Review', `arn:aws:lambda:${ENV.region}:${ENV.account}:function:review`);
    const config = new LoggingConfiguration(stack, 'Logs', { destination: LoggingDestination.s3(new s3.Bucket(stack, 'Bucket')) });
    const room = new Room(stack, 'Room', {
      roomName: 'lobby',
      maximumMessageLength: 300,
      maximumMessageRatePerSecond: 20,
      messageReviewHandler: { handler: reviewFn, fallbackResult: FallbackResult.DENY },
      loggingConfigurations: [config],
    });
    Tags.of(room).add('team', 'live');

    // WHEN
    const received = receivedProperties(stack, ROOM_RESOURCE_TYPE);

    // THEN both directions hold, and the contract's names are exactly what was rendered
    expectSameContract(received, parseRoomProperties);
    expect(Object.keys(received).sort()).toEqual(Object.values(ROOM_PROPERTY).sort());
    expect(Object.keys(received.MessageReviewHandler as object).sort()).toEqual(Object.values(REVIEW_HANDLER_PROPERTY).sort());
    expect(parseRoomProperties(received)).toMatchObject({
      name: 'lobby', maximumMessageLength: 300, maximumMessageRatePerSecond: 20, fallbackResult: 'DENY', tags: { team: 'live' },
    });
  });

  test('the check can fail: a property the handler does not read is found', () => {
    const received = { Name: 'x', Unread: 'y' };
    expect(() => expectSameContract(received, parseRoomProperties)).toThrow();
  });
});

describe('logging configurations', () => {
  const destinations: Array<[string, (stack: Stack) => LoggingDestination]> = [
    ['S3', (stack) => LoggingDestination.s3(new s3.Bucket(stack, 'Bucket'))],
    ['CloudWatchLogs', (stack) => LoggingDestination.cloudWatchLogs(new logs.LogGroup(stack, 'LogGroup'))],
    ['Firehose', (stack) => LoggingDestination.firehose(firehose.DeliveryStream.fromDeliveryStreamName(stack, 'Stream', 'chat-stream'))],
  ];

  test.each(destinations)('with a %s destination, rendered and read properties agree', (type, destination) => {
    // GIVEN
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const config = new LoggingConfiguration(stack, 'Logs', { loggingConfigurationName: 'archive', destination: destination(stack) });
    Tags.of(config).add('team', 'live');

    // WHEN
    const received = receivedProperties(stack, LOGGING_CONFIGURATION_RESOURCE_TYPE);

    // THEN
    expectSameContract(received, parseLoggingConfigurationProperties);
    expect(Object.keys(received).sort()).toEqual(Object.values(LOGGING_CONFIGURATION_PROPERTY).sort());
    const nameKey = DESTINATION_NAME_KEYS[type as keyof typeof DESTINATION_NAME_KEYS];
    expect(Object.keys((received.DestinationConfiguration as Record<string, object>)[type])).toEqual([nameKey]);
    expect(parseLoggingConfigurationProperties(received).destination.type).toBe(type);
  });
});

describe('each custom-resource property name is spelled in one file under src/', () => {
  const names = new Set<string>([
    ...Object.values(ROOM_PROPERTY), ...Object.values(REVIEW_HANDLER_PROPERTY), ...Object.values(LOGGING_CONFIGURATION_PROPERTY),
    ...Object.keys(DESTINATION_NAME_KEYS), ...Object.values(DESTINATION_NAME_KEYS),
  ]);

  /** Every string literal (and template text) in the file. */
  function stringLiterals(file: string): string[] {
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const found: string[] = [];
    const visit = (node: ts.Node) => {
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
        found.push(node.text);
      } else if (ts.isTemplateExpression(node)) {
        found.push(node.head.text, ...node.templateSpans.map((span) => span.literal.text));
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    return found;
  }

  test('no property name appears as a string literal outside one file', () => {
    const root = path.join(__dirname, '..', 'src');
    const filesByName = new Map<string, Set<string>>();
    for (const file of sourceFiles(root)) {
      for (const literal of stringLiterals(file)) {
        for (const name of names) {
          if (new RegExp(`(^|[^A-Za-z])${name}([^A-Za-z]|$)`).test(literal)) {
            filesByName.set(name, (filesByName.get(name) ?? new Set()).add(path.relative(root, file)));
          }
        }
      }
    }
    const spread = [...filesByName].filter(([, files]) => files.size > 1).map(([name, files]) => `${name}: ${[...files].sort().join(', ')}`);
    expect(spread).toEqual([]);
    // and the contract itself does hold them
    expect(filesByName.get('MaximumMessageLength')).toEqual(new Set(['private/contract.ts']));
  });
});
