// SPDX-License-Identifier: MIT
// A tiny static server for the example page (Node's built-ins only): the page, its script and the
// socket.io-client browser bundle from node_modules, nothing else. Another origin than reservo-ws
// on purpose, as a real frontend is. Prints `http://host:port/` once listening.
//   node examples/web/serve.mjs [--host 127.0.0.1] [--port 8080]   (port 0: any free one)
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: {
  host: { type: 'string', default: '127.0.0.1' },
  port: { type: 'string', default: '8080' },
} });

// Only these, so nothing else of the machine can be read through the server.
const files = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/index.html': ['index.html', 'text/html; charset=utf-8'],
  '/seatmap.js': ['seatmap.js', 'text/javascript; charset=utf-8'],
  '/node_modules/socket.io-client/dist/socket.io.min.js':
    ['node_modules/socket.io-client/dist/socket.io.min.js', 'text/javascript; charset=utf-8'],
  '/node_modules/socket.io-client/dist/socket.io.min.js.map':
    ['node_modules/socket.io-client/dist/socket.io.min.js.map', 'application/json'],
};

const server = createServer(async (request, response) => {
  const file = files[new URL(request.url, 'http://page').pathname];
  if (!file || !['GET', 'HEAD'].includes(request.method)) {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    return;
  }
  try {
    const body = await readFile(new URL(file[0], import.meta.url));
    response.writeHead(200, { 'content-type': file[1], 'cache-control': 'no-cache' });
    response.end(request.method === 'HEAD' ? undefined : body);
  } catch {
    // The bundle is missing until `npm ci --prefix examples/web`.
    response.writeHead(500, { 'content-type': 'text/plain' }).end(`${file[0]} is missing: run npm ci in examples/web\n`);
  }
});
server.listen(Number(values.port), values.host, () => {
  const { address, port } = server.address();
  console.log(`http://${address}:${port}/`);
});
for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => server.close(() => process.exit(0)));
