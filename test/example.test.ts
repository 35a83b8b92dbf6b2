import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ExampleChatStack } from '../example/example-stack';

// Pins the example app's whole template: any change to what the library renders shows up here.
test('the example stack matches its snapshot', () => {
  const app = new App();
  const stack = new ExampleChatStack(app, 'IvsChatExample');
  expect(Template.fromStack(stack).toJSON()).toMatchSnapshot();
});

test('the example stack has one provider function for all its rooms and logging configurations', () => {
  const app = new App();
  const template = Template.fromStack(new ExampleChatStack(app, 'IvsChatExample'));
  template.resourceCountIs('Custom::IvsChatRoom', 2);
  template.resourceCountIs('Custom::IvsChatLoggingConfiguration', 2);
  const providers = Object.values(template.findResources('AWS::Lambda::Function'))
    .filter((fn) => String(fn.Properties.Description ?? '').includes('IVS Chat rooms and logging configurations'));
  expect(providers).toHaveLength(1);
});
