import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ExampleChatStack } from '../example/example-stack';
import { ChatTokenVendor } from '../src';

const ASSET_HASH = /^[0-9a-f]{64}(\.zip)?$/;

/** The template with every asset hash (an S3Key) replaced by a placeholder: a handler change alone is no template change. */
function withoutAssetHashes(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(ASSET_HASH, '<asset hash>$1');
  if (Array.isArray(value)) return value.map(withoutAssetHashes);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutAssetHashes(v)]));
  }
  return value;
}

function exampleStack(): ExampleChatStack {
  return new ExampleChatStack(new App(), 'IvsChatExample');
}

/** The logical ID of the one resource of `type` whose properties match. */
function onlyId(template: Template, type: string, props: Record<string, unknown> = {}): string {
  const ids = Object.keys(template.findResources(type, { Properties: props }));
  expect(ids).toHaveLength(1);
  return ids[0];
}

// Pins the example app's whole template, asset hashes aside: any change to what the library renders shows up here.
test('the example stack matches its snapshot', () => {
  const json = Template.fromStack(exampleStack()).toJSON();
  const keys = Object.values(json.Resources as Record<string, { Properties?: { Code?: { S3Key?: string } } }>)
    .map((r) => r.Properties?.Code?.S3Key).filter((k): k is string => k !== undefined);
  expect(keys).toHaveLength(3);
  for (const key of keys) expect(key).toMatch(ASSET_HASH);
  expect(withoutAssetHashes(json)).toMatchSnapshot();
});

test('the placeholder replaces only asset hashes', () => {
  const hash = 'a'.repeat(64);
  expect(withoutAssetHashes({ S3Key: `${hash}.zip`, Other: [hash, `x${hash}`, 'index.handler'] }))
    .toEqual({ S3Key: '<asset hash>.zip', Other: ['<asset hash>', `x${hash}`, 'index.handler'] });
});

test('the example stack has one provider function for all its rooms and logging configurations', () => {
  const template = Template.fromStack(exampleStack());
  template.resourceCountIs('Custom::IvsChatRoom', 2);
  template.resourceCountIs('Custom::IvsChatLoggingConfiguration', 2);
  const providers = Object.values(template.findResources('AWS::Lambda::Function'))
    .filter((fn) => String(fn.Properties.Description ?? '').includes('IVS Chat rooms and logging configurations'));
  expect(providers).toHaveLength(1);
});

test("the example's HTTP API takes POST /chat-token through a JWT authorizer of the user pool to the token vendor", () => {
  // GIVEN
  const stack = exampleStack();
  const template = Template.fromStack(stack);
  const users = stack.node.findChild('ChatUsers') as cognito.UserPool;
  const client = users.node.findChild('ChatWebClient') as cognito.UserPoolClient;
  const vendor = stack.node.findChild('LobbyTokens') as ChatTokenVendor;
  const accessLogs = stack.node.findChild('ChatApiAccessLogs') as logs.LogGroup;

  // THEN an HTTP API with CORS for the example's origin, POST only
  const api = onlyId(template, 'AWS::ApiGatewayV2::Api', {
    ProtocolType: 'HTTP',
    CorsConfiguration: Match.objectLike({ AllowOrigins: ['https://chat.example.com'], AllowMethods: ['POST'] }),
  });
  // a JWT authorizer: the pool's issuer in the stack's region, the web client as the audience, the bearer header
  const authorizer = onlyId(template, 'AWS::ApiGatewayV2::Authorizer', {
    ApiId: { Ref: api },
    AuthorizerType: 'JWT',
    IdentitySource: ['$request.header.Authorization'],
    JwtConfiguration: {
      Audience: [stack.resolve(client.userPoolClientId)],
      Issuer: { 'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', stack.resolve(users.userPoolId)]] },
    },
  });
  // the vendor's function behind a Lambda proxy integration (payload 2.0, the event the vendor reads)
  const integration = onlyId(template, 'AWS::ApiGatewayV2::Integration', {
    ApiId: { Ref: api },
    IntegrationType: 'AWS_PROXY',
    IntegrationUri: stack.resolve(vendor.handler.functionArn),
    PayloadFormatVersion: '2.0',
  });
  // the one route, authorized by that authorizer, to that integration
  template.resourceCountIs('AWS::ApiGatewayV2::Route', 1);
  template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
    ApiId: { Ref: api },
    RouteKey: 'POST /chat-token',
    AuthorizationType: 'JWT',
    AuthorizerId: { Ref: authorizer },
    Target: { 'Fn::Join': ['', ['integrations/', { Ref: integration }]] },
  });
  // API Gateway may invoke the vendor on that route only
  template.hasResourceProperties('AWS::Lambda::Permission', {
    Action: 'lambda:InvokeFunction',
    FunctionName: stack.resolve(vendor.handler.functionArn),
    Principal: 'apigateway.amazonaws.com',
    SourceArn: { 'Fn::Join': ['', Match.arrayWith([{ Ref: api }, '/*/*/chat-token'])] },
  });
  // the default stage deploys itself and logs access
  template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
    ApiId: { Ref: api },
    StageName: '$default',
    AutoDeploy: true,
    AccessLogSettings: Match.objectLike({ DestinationArn: stack.resolve(accessLogs.logGroupArn) }),
  });
});
