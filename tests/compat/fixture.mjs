// SPDX-License-Identifier: MIT
// Shared fixture of the compatibility tests: real nats-server and reservo-ws child processes, the
// real npm `socket.io-client` and `nats` clients, and bounded waits. Every wait is on an event or
// a polled condition with a generous bound, because CI shares two cores between the service,
// NATS and this runner.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

export const WAIT_MS = 15_000;          // bound of every single wait for a message, ack or event
export const STARTUP_MS = 20_000;       // bound of starting nats-server or the service
export const TEST_MS = 90_000;          // bound of one whole test
export const SUITE_MS = 240_000;        // below ctest's 300 s, so after() still stops the children

if (!existsSync(new URL('./node_modules/socket.io-client/package.json', import.meta.url))
    || !existsSync(new URL('./node_modules/nats/package.json', import.meta.url))) {
    throw new Error('tests/compat/node_modules is missing: run `npm ci --prefix tests/compat` '
                    + 'from the repository root first');
}
export const { io, Manager } = await import('socket.io-client');
const { connect: natsConnect, StringCodec } = await import('nats');
const sc = StringCodec();
export { sc };

// `what` names the awaited thing; a function is asked at the timeout, so it can tell the state.
export function withTimeout(promise, ms, what) {
    let timer;
    const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => {
            const name = typeof what === 'function' ? what() : what;
            reject(new Error(`timed out after ${ms} ms waiting for ${name}`));
        }, ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// Polls `condition` (sync or async) until it holds, at most `ms`.
export async function waitUntil(condition, what, ms = WAIT_MS) {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
        if (await condition())
            return;
        await delay(20);
    }
    throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

export function freePort() {
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
export class ManagedProcess {
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

// A real nats-server on a free loopback port (NATS_SERVER_EXE or PATH), awaited until it accepts.
export async function startNatsServer() {
    const natsExe = process.env.NATS_SERVER_EXE || 'nats-server';
    const port = await freePort();
    const server = new ManagedProcess('nats-server', natsExe, ['-a', '127.0.0.1', '-p', String(port)], {});
    server.url = `nats://127.0.0.1:${port}`;
    await server.waitUntil(() => acceptsTcp(port), 'accepting TCP');
    return server;
}

// The real reservo-ws (RESERVO_WS_EXE) on a free port, awaited until GET /readyz says 200;
// `extraEnv` adds settings such as MAX_DISCONNECTION_DURATION_MS (a PORT there is used instead of
// a free one: a restarted service on its predecessor's port).
export async function startService(natsUrl, extraEnv = {}, name = 'reservo-ws') {
    const wsExe = process.env.RESERVO_WS_EXE;
    assert.ok(wsExe, 'RESERVO_WS_EXE must name the reservo-ws binary (ctest sets it)');
    assert.ok(existsSync(wsExe), `RESERVO_WS_EXE=${wsExe} does not exist`);
    const port = extraEnv.PORT ? Number(extraEnv.PORT) : await freePort();
    const service = new ManagedProcess(name, wsExe, [], {
        PORT: String(port), NATS_SERVER: natsUrl, HOST: '127.0.0.1', ...extraEnv,
    });
    service.url = `http://127.0.0.1:${port}`;
    await service.waitUntil(() => isReady(`${service.url}/readyz`), 'GET /readyz 200');
    return service;
}

// The value of one series of the service's /metrics, or -1 when it cannot be read.
export async function metric(service, series) {
    try {
        const response = await fetch(`${service.url}/metrics`, { signal: AbortSignal.timeout(2_000) });
        const text = await response.text();
        const line = text.split('\n').find((l) => l.startsWith(`${series} `));
        return line === undefined ? -1 : Number(line.slice(series.length + 1));
    } catch {
        return -1;
    }
}

// The test's own NATS connection, publishing seat changes exactly as the events service does.
export async function connectPublisher(natsUrl, name) {
    const nc = await withTimeout(natsConnect({ servers: natsUrl, name }), WAIT_MS,
                                 'the test NATS connection');
    nc.publishSeat = (eventId, seatId, seatState) => {
        nc.publish('update.seat.state', sc.encode(JSON.stringify({ eventId, seatId, seatState })));
        return nc.flush();
    };
    return nc;
}

// A socket.io-client socket that records every event it gets in arrival order (all arguments,
// so the recovery offset too) and every `update-seat-status` payload.
export class Viewer {
    constructor(socket) {
        this.socket = socket;
        this.events = [];
        this.updates = [];
        this.waiters = new Set();
        this.disconnectReason = null;
        socket.onAny((name, ...args) => { this.events.push({ name, args }); this.notify(); });
        socket.on('update-seat-status', (payload) => { this.updates.push(payload); this.notify(); });
        socket.on('connect', () => { this.disconnectReason = null; this.notify(); });
        socket.on('disconnect', (reason) => { this.disconnectReason = reason; this.notify(); });
    }

    static async connect(url, path = '/', options = {}) {
        const socket = io(url + path, { transports: ['websocket'], reconnection: false, forceNew: true, ...options });
        const viewer = new Viewer(socket);
        await viewer.connected();
        return viewer;
    }

    // Resolves on the next `connect` (or at once if connected), fails on `connect_error`.
    connected() {
        if (this.socket.connected)
            return Promise.resolve();
        return withTimeout(new Promise((resolve, reject) => {
            this.socket.once('connect', resolve);
            this.socket.once('connect_error', reject);
        }), WAIT_MS, 'the Socket.IO connection');
    }

    notify() {
        for (const check of this.waiters)
            check();
    }

    // Resolves once `predicate()` holds; rejects if the socket is disconnected meanwhile, unless
    // `whileDisconnected` says the wait spans a disconnection on purpose.
    waitFor(predicate, what, { whileDisconnected = false } = {}) {
        let check;
        const found = new Promise((resolve, reject) => {
            check = () => {
                const value = predicate();
                if (value)
                    resolve(value);
                else if (this.disconnectReason && !whileDisconnected)
                    reject(new Error(`socket disconnected (${this.disconnectReason}) while waiting for `
                                     + `${typeof what === 'function' ? what() : what}`));
            };
            this.waiters.add(check);
            check();
        });
        return withTimeout(found, WAIT_MS, what).finally(() => this.waiters.delete(check));
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
        return this.waitFor(() => this.updates.find((u) => u && u.id === seatId),
                            `update-seat-status of seat ${seatId}`);
    }

    close() {
        this.socket.disconnect();
    }
}

// Only the two compatible keys: later versions may add more, old clients read only these.
export const seatView = (update) => ({ id: update.id, state: update.state });

// Runs a test body and, when it fails, prints the children's output into the test's diagnostics.
export function withLogs(processes, fn) {
    return async (t) => {
        try {
            await fn(t);
        } catch (error) {
            for (const child of processes().filter(Boolean))
                for (const line of child.log().split('\n'))
                    t.diagnostic(line);
            throw error;
        }
    };
}
