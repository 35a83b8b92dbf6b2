// The `cdk-ivs-chat/testing` entry point: a local IVS Chat (control plane and messaging) for Node.js tests.
// Not part of the jsii API: src/index.ts never imports it, so importing `cdk-ivs-chat` loads no server code.
import './peer-dependencies';
export * from './local-ivs-chat';
export * from './ivschat-standin';
export * from './messaging';
export * from './lambda-handler';
export * from './apply-template';
export * from './cloudformation';
