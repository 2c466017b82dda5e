// SPDX-License-Identifier: MIT
// The reference of docs/BENCHMARKS.md: what the original NestJS + socket.io service does per seat
// change, without NestJS. socket.io 4.8 on one port; `join-event-room` joins the room and acks
// with the original's string; every `update.seat.state` from NATS (plain or NestJS-enveloped) is
// emitted to its event's room as `update-seat-status` {id, state}, as the original emitted it.
// NestJS only wrapped the NATS handler and the gateway, once per change, not per delivery, so this
// leaner server is, if anything, faster than the original. Benchmarks only: no limits, no auth.
//
//   node server.mjs --port 3000 --nats-server nats://127.0.0.1:4222
import { Server } from 'socket.io';
import { connect, StringCodec } from 'nats';
import http from 'node:http';
import { parseArgs } from 'node:util';

const { values: options } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '3000' },
    host: { type: 'string', default: '127.0.0.1' },
    'nats-server': { type: 'string', default: process.env.NATS_SERVER ?? 'nats://127.0.0.1:4222' },
    help: { type: 'boolean', default: false },
  },
});
if (options.help) {
  console.log('usage: node server.mjs [--host 127.0.0.1] [--port 3000] [--nats-server nats://127.0.0.1:4222]');
  process.exit(0);
}
const port = Number(options.port);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`reference: --port must be 1-65535, not ${options.port}`);
  process.exit(2);
}

let ready = false;
const httpServer = http.createServer((req, res) => {
  if (req.url === '/readyz') { // what scripts/bench.sh polls, as it does for reservo-ws
    res.writeHead(ready ? 200 : 503).end(ready ? 'ready\n' : 'not ready\n');
    return;
  }
  res.writeHead(404).end();
});
const io = new Server(httpServer, { serveClient: false });
io.on('connection', (socket) => {
  socket.on('join-event-room', (data, ack) => {
    const eventId = data?.eventId;
    if (typeof eventId !== 'string' || eventId === '') return;
    socket.join(eventId);
    if (typeof ack === 'function') ack(`Conectado a la sala correctamente: ${eventId}`);
  });
});

const codec = StringCodec();
const nats = await connect({ servers: options['nats-server'].split(','), maxReconnectAttempts: -1 });
const subscription = nats.subscribe('update.seat.state');
await nats.flush();
httpServer.listen(port, options.host, () => {
  ready = true;
  console.log(`reference: socket.io on ${options.host}:${port}, NATS ${options['nats-server']}`);
});
for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, async () => {
    io.close();
    await nats.drain();
    process.exit(0);
  });

for await (const message of subscription) {
  let change;
  try {
    const parsed = JSON.parse(codec.decode(message.data));
    change = parsed?.pattern !== undefined && parsed?.data !== undefined ? parsed.data : parsed;
  } catch {
    continue;
  }
  if (typeof change?.eventId !== 'string' || typeof change?.seatId !== 'string') continue;
  io.to(change.eventId).emit('update-seat-status', { id: change.seatId, state: change.seatState });
}
