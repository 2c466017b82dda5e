// SPDX-License-Identifier: MIT
// Child processes for the Node.js tests outside tests/compat (deploy, browser), with Node's
// built-ins only: real nats-server and reservo-ws on free loopback ports, waits bounded on
// conditions (never a sleep as synchronisation), every child stopped in the end. The ideas are
// tests/compat/fixture.mjs's; that one also loads the npm clients, which these tests do not all have.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

export const WAIT_MS = 15_000;     // bound of one wait for a message, a page state or an event
export const STARTUP_MS = 20_000;  // bound of starting nats-server or the service
export const TEST_MS = 90_000;     // bound of one test
export const SUITE_MS = 240_000;   // below ctest's 300 s, so after() still stops the children

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

// Polls `condition` (sync or async) until it returns something truthy, which it returns; at most `ms`.
export async function waitUntil(condition, what, ms = WAIT_MS) {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
        const value = await condition();
        if (value)
            return value;
        await delay(20);
    }
    throw new Error(`timed out after ${ms} ms waiting for ${typeof what === 'function' ? what() : what}`);
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

// The status and body of a GET, or null when nothing answers.
export async function httpGet(url) {
    try {
        const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
        return { status: response.status, body: await response.text() };
    } catch {
        return null;
    }
}

// A child process whose output is kept for diagnostics and which is always stopped.
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
            this.child.once('exit', (code, signal) => {
                this.exitCode = code;
                this.exited = `exited (code ${code}, signal ${signal})`;
                resolve();
            });
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

    // SIGTERM, SIGKILL after 10 s; resolves with the exit code (null when killed by a signal).
    async stop() {
        process.removeListener('exit', this.killOnExit);
        if (!this.exited) {
            this.child.kill('SIGTERM');
            await withTimeout(this.exitPromise, 10_000, `${this.name} to exit`).catch(() => {
                this.child.kill('SIGKILL');
                return this.exitPromise;
            });
        }
        return this.exitCode;
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

// The real reservo-ws (RESERVO_WS_EXE) on a free loopback port with `extraEnv` added to its
// settings, awaited until GET /readyz says 200.
export async function startService(natsUrl, extraEnv = {}, name = 'reservo-ws') {
    const wsExe = process.env.RESERVO_WS_EXE;
    assert.ok(wsExe, 'RESERVO_WS_EXE must name the reservo-ws binary (ctest sets it)');
    assert.ok(existsSync(wsExe), `RESERVO_WS_EXE=${wsExe} does not exist`);
    const port = await freePort();
    const service = new ManagedProcess(name, wsExe, [], {
        PORT: String(port), NATS_SERVER: natsUrl, HOST: '127.0.0.1', ...extraEnv,
    });
    service.port = port;
    service.url = `http://127.0.0.1:${port}`;
    await service.waitUntil(async () => (await httpGet(`${service.url}/readyz`))?.status === 200,
                            'GET /readyz 200');
    return service;
}

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
