// Loaded first by the entry point: `ws` is an optional peer dependency, so say how to get it rather than fail deep inside.
try {
  require.resolve('ws');
} catch {
  throw new Error("cdk-ivs-chat/testing needs the 'ws' package (an optional peer dependency of cdk-ivs-chat): npm install --save-dev ws");
}
