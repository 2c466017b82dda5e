// SPDX-License-Identifier: MIT
// Compatibility proof: the real npm `socket.io-client` v4 and `nats` clients, unchanged, against a
// real reservo-ws backed by a real nats-server. Every wait is on an event or a polled condition with
// a generous bound, because CI shares two cores between the service, NATS and this runner.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

const WAIT_MS = 15_000;          // bound of every single wait for a message, ack or event
const STARTUP_MS = 20_000;       // bound of starting nats-server or the service
const TEST_MS = 90_000;          // bound of one whole test
const SUITE_MS = 240_000;        // below ctest's 300 s, so after() still stops the children

if (!existsSync(new URL('./node_modules/socket.io-client/package.json', import.meta.url))
    || !existsSync(new URL('./node_modules/nats/package.json', import.meta.url))) {
    throw new Error('tests/compat/node_modules is missing: run `npm ci --prefix tests/compat` '
                    + 'from the repository root first');
}
const { io, Manager } = await import('socket.io-client');
const { connect: natsConnect, StringCodec } = await import('nats');
const sc = StringCodec();

// ---------------------------------------------------------------------------------------------
// Fixture helpers

function withTimeout(promise, ms, what) {
    let timer;
    const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function freePort() {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const { port } = server.address();
            server.close(() => resolve(port));
        });
    });
}

function acceptsTcp(port) {
    return new Promise((resolve) => {
        const socket = net.connect({ host: '127.0.0.1', port });
        socket.once('connect', () => { socket.destroy(); resolve(true); });
        socket.once('error', () => resolve(false));
    });
}

async function isReady(url) {
    try {
        const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
        await response.arrayBuffer();
        return response.status === 200;
    } catch {
        return false;
    }
}

// A child process whose output is kept for diagnostics and which is always stopped in after().
class ManagedProcess {
    constructor(name, exe, args, env) {
        this.name = name;
        this.output = [];
        this.exited = null;
        this.child = spawn(exe, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
        const keep = (chunk) => {
            this.output.push(chunk.toString());
            if (this.output.length > 400)
                this.output.shift();
        };
        this.child.stdout.on('data', keep);
        this.child.stderr.on('data', keep);
        this.exitPromise = new Promise((resolve) => {
            this.child.once('error', (error) => { this.exited = `failed to start: ${error.message}`; resolve(); });
            this.child.once('exit', (code, signal) => { this.exited = `exited (code ${code}, signal ${signal})`; resolve(); });
        });
        // Never leave a child behind, even if the runner dies before after() runs.
        this.killOnExit = () => this.child.kill('SIGKILL');
        process.once('exit', this.killOnExit);
    }

    log() {
        return `--- ${this.name} output ---\n${this.output.join('')}--- end of ${this.name} ---`;
    }

    // Polls `condition` until it holds; fails at once, with the log, if the process dies first.
    async waitUntil(condition, what) {
        const deadline = Date.now() + STARTUP_MS;
        while (Date.now() < deadline) {
            if (this.exited)
                throw new Error(`${this.name} ${this.exited} before ${what}\n${this.log()}`);
            if (await condition())
                return;
            await delay(50);
        }
        throw new Error(`${this.name}: no ${what} within ${STARTUP_MS} ms\n${this.log()}`);
    }

    async stop() {
        process.removeListener('exit', this.killOnExit);
        if (!this.exited) {
            this.child.kill('SIGTERM');
            await withTimeout(this.exitPromise, 10_000, `${this.name} to exit`).catch(() => {
                this.child.kill('SIGKILL');
                return this.exitPromise;
            });
        }
    }
}

// A socket.io-client socket that records every `update-seat-status` in arrival order.
class Viewer {
    constructor(socket) {
        this.socket = socket;
        this.updates = [];
        this.waiters = new Set();
        this.disconnectReason = null;
        socket.on('update-seat-status', (payload) => { this.updates.push(payload); this.notify(); });
        socket.on('disconnect', (reason) => { this.disconnectReason = reason; this.notify(); });
    }

    static async connect(url, path = '/') {
        const socket = io(url + path, { transports: ['websocket'], reconnection: false, forceNew: true });
        const viewer = new Viewer(socket);
        await withTimeout(new Promise((resolve, reject) => {
            socket.once('connect', resolve);
            socket.once('connect_error', reject);
        }), WAIT_MS, 'the Socket.IO connection');
        return viewer;
    }

    notify() {
        for (const check of this.waiters)
            check();
    }

    // Resolves with every argument of the ack; fails if the ack does not come or the socket drops.
    ack(event, ...args) {
        return withTimeout(new Promise((resolve, reject) => {
            this.socket.timeout(WAIT_MS).emit(event, ...args, (error, ...ackArgs) => {
                if (error)
                    reject(new Error(`no ack for ${event}: ${error.message}`));
                else
                    resolve(ackArgs);
            });
        }), WAIT_MS + 1_000, `the ack of ${event}`);
    }

    async join(eventId) {
        const args = await this.ack('join-event-room', { eventId });
        assert.deepEqual(args, [`Conectado a la sala correctamente: ${eventId}`]);
    }

    // Resolves once an update with this seat id is recorded.
    waitForUpdate(seatId) {
        let check;
        const found = new Promise((resolve, reject) => {
            check = () => {
                const update = this.updates.find((u) => u && u.id === seatId);
                if (update)
                    resolve(update);
                else if (this.disconnectReason)
                    reject(new Error(`socket disconnected (${this.disconnectReason}) while waiting for seat ${seatId}`));
            };
            this.waiters.add(check);
            check();
        });
        return withTimeout(found, WAIT_MS, `update-seat-status of seat ${seatId}`)
            .finally(() => this.waiters.delete(check));
    }

    close() {
        this.socket.disconnect();
    }
}

// Only the two compatible keys: later versions may add more, old clients read only these.
const seatView = (update) => ({ id: update.id, state: update.state });

// ---------------------------------------------------------------------------------------------
// The service under test

const env = {};
let natsServer;
let service;
let nats;
const viewers = [];

async function viewer(path) {
    const v = await Viewer.connect(env.url, path);
    viewers.push(v);
    return v;
}

function publishSeat(eventId, seatId, seatState) {
    nats.publish('update.seat.state', sc.encode(JSON.stringify({ eventId, seatId, seatState })));
    return nats.flush();
}

before(async () => {
    const wsExe = process.env.RESERVO_WS_EXE;
    assert.ok(wsExe, 'RESERVO_WS_EXE must name the reservo-ws binary (ctest sets it)');
    assert.ok(existsSync(wsExe), `RESERVO_WS_EXE=${wsExe} does not exist`);
    const natsExe = process.env.NATS_SERVER_EXE || 'nats-server';

    const natsPort = await freePort();
    natsServer = new ManagedProcess('nats-server', natsExe, ['-a', '127.0.0.1', '-p', String(natsPort)], {});
    await natsServer.waitUntil(() => acceptsTcp(natsPort), 'accepting TCP');

    const wsPort = await freePort();
    env.natsUrl = `nats://127.0.0.1:${natsPort}`;
    env.url = `http://127.0.0.1:${wsPort}`;
    service = new ManagedProcess('reservo-ws', wsExe, [], {
        PORT: String(wsPort), NATS_SERVER: env.natsUrl, HOST: '127.0.0.1',
    });
    await service.waitUntil(() => isReady(`${env.url}/readyz`), 'GET /readyz 200');

    nats = await withTimeout(natsConnect({ servers: env.natsUrl, name: 'compat-test' }),
                             WAIT_MS, 'the test NATS connection');
}, { timeout: 2 * STARTUP_MS + WAIT_MS });

after(async () => {
    for (const v of viewers)
        v.close();
    if (nats)
        await nats.close().catch(() => {});
    if (service)
        await service.stop();
    if (natsServer)
        await natsServer.stop();
});

// Printed only when a test fails, so a CI failure carries the service's side of the story.
function withServiceLog(fn) {
    return async (t) => {
        try {
            await fn(t);
        } catch (error) {
            for (const line of service ? service.log().split('\n') : [])
                t.diagnostic(line);
            throw error;
        }
    };
}

// ---------------------------------------------------------------------------------------------
// Tests

describe('socket.io-client v4 against reservo-ws', { timeout: SUITE_MS }, () => {
    test('join acks the exact string and a plain NATS seat update arrives', { timeout: TEST_MS },
         withServiceLog(async () => {
        const client = await viewer();
        const eventId = randomUUID();
        const seatId = randomUUID();
        await client.join(eventId);

        await publishSeat(eventId, seatId, 'PENDING');
        const update = await client.waitForUpdate(seatId);
        assert.deepEqual(seatView(update), { id: seatId, state: 'PENDING' });
    }));

    test('two clients in different rooms each get only their room\'s updates', { timeout: TEST_MS },
         withServiceLog(async () => {
        const [a, b] = [await viewer(), await viewer()];
        const [roomA, roomB] = [randomUUID(), randomUUID()];
        await a.join(roomA);
        await b.join(roomB);
        const [seatA1, seatA2, seatB1, seatB2] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];

        // Room B first: if A were wrongly in B, B's update would be A's first message.
        await publishSeat(roomB, seatB1, 'OCCUPIED');
        await publishSeat(roomA, seatA1, 'PENDING');
        await publishSeat(roomB, seatB2, 'AVAILABLE');
        await a.waitForUpdate(seatA1);
        assert.deepEqual(seatView(a.updates[0]), { id: seatA1, state: 'PENDING' });
        await b.waitForUpdate(seatB2);
        assert.deepEqual(b.updates.map(seatView),
                         [{ id: seatB1, state: 'OCCUPIED' }, { id: seatB2, state: 'AVAILABLE' }]);

        // A later update of room A proves, by ordering, that B2 never reached A.
        await publishSeat(roomA, seatA2, 'OCCUPIED');
        await a.waitForUpdate(seatA2);
        assert.deepEqual(a.updates.map(seatView),
                         [{ id: seatA1, state: 'PENDING' }, { id: seatA2, state: 'OCCUPIED' }]);
    }));

    test('invalid eventIds get an error ack and the connection stays open', { timeout: TEST_MS },
         withServiceLog(async (t) => {
        const client = await viewer();
        const invalid = {
            'missing': {},
            'a number': { eventId: 42 },
            'null': { eventId: null },
            'an object': { eventId: { id: 'x' } },
            'empty': { eventId: '' },
            'over 128 characters': { eventId: 'e'.repeat(129) },
        };
        for (const [name, payload] of Object.entries(invalid)) {
            await t.test(`eventId ${name}`, async () => {
                const args = await client.ack('join-event-room', payload);
                assert.equal(args.length, 1, `one ack argument, got ${JSON.stringify(args)}`);
                assert.equal(typeof args[0], 'object');
                assert.ok(args[0] !== null && typeof args[0].error === 'string' && args[0].error.length > 0,
                          `ack {"error":"…"}, got ${JSON.stringify(args[0])}`);
                assert.equal(client.disconnectReason, null);
                assert.equal(client.socket.connected, true);
            });
        }

        // Still usable afterwards; 128 characters is the longest valid id.
        const eventId = 'v'.repeat(128);
        const seatId = randomUUID();
        await client.join(eventId);
        await publishSeat(eventId, seatId, 'OCCUPIED');
        assert.deepEqual(seatView(await client.waitForUpdate(seatId)), { id: seatId, state: 'OCCUPIED' });
        assert.equal(client.socket.connected, true);
    }));

    test('leave-event-room acks {ok:true} and stops that room\'s updates', { timeout: TEST_MS },
         withServiceLog(async () => {
        const client = await viewer();
        const [left, kept] = [randomUUID(), randomUUID()];
        await client.join(left);
        await client.join(kept);

        const seatBefore = randomUUID();
        await publishSeat(left, seatBefore, 'PENDING');
        await client.waitForUpdate(seatBefore);

        assert.deepEqual(await client.ack('leave-event-room', { eventId: left }), [{ ok: true }]);

        // NATS keeps one publisher's order, so the kept room's update arriving proves the left
        // room's earlier update was dropped rather than merely late.
        const [seatLeft, seatKept] = [randomUUID(), randomUUID()];
        await publishSeat(left, seatLeft, 'OCCUPIED');
        await publishSeat(kept, seatKept, 'AVAILABLE');
        await client.waitForUpdate(seatKept);
        assert.deepEqual(client.updates.map(seatView),
                         [{ id: seatBefore, state: 'PENDING' }, { id: seatKept, state: 'AVAILABLE' }]);
    }));

    test('a namespace other than / gets connect_error "Invalid namespace"', { timeout: TEST_MS },
         withServiceLog(async () => {
        const socket = io(`${env.url}/custom`, { transports: ['websocket'], reconnection: false, forceNew: true });
        try {
            const error = await withTimeout(new Promise((resolve, reject) => {
                socket.once('connect_error', resolve);
                socket.once('connect', () => reject(new Error('namespace /custom was accepted')));
            }), WAIT_MS, 'connect_error on /custom');
            assert.equal(error.message, 'Invalid namespace');
        } finally {
            socket.disconnect();
        }

        // Multiplexed on one Engine.IO connection: the refusal of /custom must not harm /.
        const manager = new Manager(env.url, { transports: ['websocket'], reconnection: false });
        const root = manager.socket('/');
        const custom = manager.socket('/custom');
        try {
            const customError = withTimeout(new Promise((resolve) => custom.once('connect_error', resolve)),
                                            WAIT_MS, 'connect_error on multiplexed /custom');
            await withTimeout(new Promise((resolve, reject) => {
                root.once('connect', resolve);
                root.once('connect_error', reject);
            }), WAIT_MS, 'multiplexed / to connect');
            assert.equal((await customError).message, 'Invalid namespace');
            const rootViewer = new Viewer(root);
            const eventId = randomUUID();
            await rootViewer.join(eventId);
            assert.equal(root.connected, true);
        } finally {
            root.disconnect();
            custom.disconnect();
            manager.engine?.close();
        }
    }));

    test('a NestJS-enveloped request gets the exact reply and the update is delivered', { timeout: TEST_MS },
         withServiceLog(async () => {
        const client = await viewer();
        const eventId = randomUUID();
        const seatId = randomUUID();
        await client.join(eventId);

        const envelope = { pattern: 'update.seat.state', data: { eventId, seatId, seatState: 'OCCUPIED' }, id: 'x' };
        const reply = nats.request('update.seat.state', sc.encode(JSON.stringify(envelope)), { timeout: WAIT_MS })
            .then((msg) => sc.decode(msg.data), (error) => error);
        // Delivery is checked first so a missing reply does not hide whether the update went out.
        assert.deepEqual(seatView(await client.waitForUpdate(seatId)), { id: seatId, state: 'OCCUPIED' });
        const replyText = await reply;
        assert.equal(typeof replyText, 'string', `a reply to the NestJS request, got ${replyText}`);
        // A NestJS client JSON.parse()s the reply: the exact key set and values matter, not key order.
        assert.deepEqual(JSON.parse(replyText), { id: 'x', response: { ok: true }, isDisposed: true });
    }));

    test('an unsupported EIO version is refused with HTTP 400 and a JSON error', { timeout: TEST_MS },
         withServiceLog(async () => {
        const response = await fetch(`${env.url}/socket.io/?EIO=3&transport=websocket`,
                                     { signal: AbortSignal.timeout(WAIT_MS) });
        assert.equal(response.status, 400);
        assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
        assert.deepEqual(await response.json(), { code: 5, message: 'Unsupported protocol version' });
    }));
});
