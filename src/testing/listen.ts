import type { Server } from 'node:http';

/** Listens on 127.0.0.1 (`port`, or a free one the system picks); rejects if the port is taken. */
export async function listen(server: Server, port = 0): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Closes the server, ending keep-alive connections that would otherwise hold close() open. */
export async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
