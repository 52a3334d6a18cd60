// Stands in for the bench agent's worker: the gateway POSTs every new task to the agent endpoint
// and, without a 2xx, retries and finally fails the task. This answers 200 to everything.
import { createServer, type Server } from 'node:http';

export interface DispatchSink {
  port: number;
  close(): Promise<void>;
}

export function startDispatchSink(): Promise<DispatchSink> {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '2' });
      res.end('{}');
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string')
        return reject(new Error('dispatch sink has no port'));
      resolve({
        port: address.port,
        close: () => {
          server.closeAllConnections();
          return new Promise((done) => server.close(() => done()));
        },
      });
    });
  });
}
