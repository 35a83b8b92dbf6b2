import { App } from 'aws-cdk-lib';
import { ExampleChatStack } from './example-stack';

// Synthesizes with no AWS account or credentials: `npx cdk synth`.
const app = new App();
new ExampleChatStack(app, 'IvsChatExample');
app.synth();
