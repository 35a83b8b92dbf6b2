/**
 * A raw WebSocket client for the messaging endpoint's protocol tests: it records every frame and close,
 * so a test can pin exactly what the endpoint sent. Not a test file.
 */
import { WebSocket } from 'ws';
import type { ServerFrame } from 'cdk-ivs-chat/testing';

export interface Closed {
  readonly code: number;
  readonly reason: string;
}

export class RawChatClient {
  /** Connects with `token` as the only subprotocol; rejects with the HTTP status if the upgrade is refused. */
  static connect(url: string, token: string | undefined): Promise<RawChatClient> {
    return new Promise((resolve, reject) => {
      const socket = token === undefined ? new WebSocket(url) : new WebSocket(url, token);
      socket.once('unexpected-response', (_req, res) => {
        reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode }));
        socket.terminate();
      });
      socket.once('error', reject);
      socket.once('open', () => resolve(new RawChatClient(socket)));
    });
  }

  readonly frames: ServerFrame[] = [];
  readonly closed: Promise<Closed>;
  private readonly waiters: Array<() => void> = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as ServerFrame);
      this.waiters.splice(0).forEach((wake) => wake());
    });
    this.closed = new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  /** The subprotocol the server echoed. */
  get protocol(): string {
    return this.socket.protocol;
  }

  sendJson(value: unknown): void {
    this.socket.send(JSON.stringify(value));
  }

  /**
   * Resolves with the first frame (received so far or later) that matches; fails when the socket closes first.
   * No wall-clock deadline: a loaded machine is slow, not wrong (jest's test timeout bounds a hang).
   */
  async next<F extends ServerFrame = ServerFrame>(match: (frame: ServerFrame) => boolean): Promise<F> {
    let closed = false;
    void this.closed.then(() => {
      closed = true;
      this.waiters.splice(0).forEach((wake) => wake());
    });
    for (;;) {
      const found = this.frames.find(match);
      if (found) return found as F;
      if (closed || this.socket.readyState === this.socket.CLOSED) {
        throw new Error(`the socket closed with no matching frame; got ${JSON.stringify(this.frames)}`);
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** The frame answering `requestId` (MESSAGE, EVENT or ERROR). */
  answerTo<F extends ServerFrame = ServerFrame>(requestId: string): Promise<F> {
    return this.next<F>((frame) => frame.RequestId === requestId);
  }

  close(): void {
    this.socket.close(1000);
  }
}
