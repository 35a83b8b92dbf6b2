/** A tiny local HTTP server standing in for CloudFormation's pre-signed ResponseURL. */
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { now } from './report';

export interface Arrival {
  /** now() when the PUT's body was complete. */
  readonly at: number;
  readonly body: string;
}

export class ResponseSink {
  static async start(): Promise<ResponseSink> {
    const sink = new ResponseSink();
    await new Promise<void>((resolve) => sink.server.listen(0, '127.0.0.1', resolve));
    return sink;
  }

  private readonly waiting = new Map<string, (a: Arrival) => void>();
  private readonly arrived = new Map<string, Arrival>();
  private readonly server: Server;
  private seq = 0;

  private constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const arrival = { at: now(), body: Buffer.concat(chunks).toString('utf8') };
        const id = (req.url ?? '/').slice(1);
        res.writeHead(200, { 'content-length': 0, 'connection': 'close' });
        res.end();
        const resolve = this.waiting.get(id);
        if (resolve) {
          this.waiting.delete(id);
          resolve(arrival);
        } else {
          this.arrived.set(id, arrival);
        }
      });
    });
  }

  /** A fresh ResponseURL and the promise of its PUT. */
  next(): { url: string; arrival: Promise<Arrival> } {
    const id = `response-${++this.seq}`;
    const url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/${id}`;
    const arrival = new Promise<Arrival>((resolve) => {
      const early = this.arrived.get(id);
      if (early) {
        this.arrived.delete(id);
        resolve(early);
      } else {
        this.waiting.set(id, resolve);
      }
    });
    return { url, arrival };
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
