/**
 * Test setup for Node 20, which has no global WebSocket (Node 22+ and browsers do): the chat SDK calls
 * `new WebSocket(url, token)`, so give it the `ws` package's client. Import this before the SDK.
 */
import { WebSocket } from 'ws';

const scope = globalThis as { WebSocket?: unknown };
scope.WebSocket ??= WebSocket;
