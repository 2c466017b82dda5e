// SPDX-License-Identifier: MIT
// HTTP long-polling with the real npm `socket.io-client` v4, as the existing frontend uses it: on
// default options (polling first, then the upgrade to WebSocket), polling only
// (`transports: ["polling"]`) and without the upgrade (`upgrade: false`). Each of them joins with
// the original's ack, gets its room-snapshot and every NATS update in order, is recovered with
// the updates it missed after its transport drops, and reconnects by itself after the transport
// is closed or the service restarts.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

import {
    STARTUP_MS, SUITE_MS, TEST_MS, Viewer, WAIT_MS, connectPublisher, freePort, io, metric, seatView,
    startNatsServer, startService, waitUntil, withLogs,
} from './fixture.mjs';

let natsServer;
let service;     // default settings
let fastPing;    // PING_INTERVAL_MS=300: heartbeats through long-polling
let restarting;  // stopped and started again on the same port by one test
let nats;
const services = []; // every reservo-ws started here
const sockets = [];
// Set by after(): a test that outlived its timeout must not leave a process or a reconnecting
// socket behind, which would keep the runner alive until ctest kills it.
let suiteOver = false;

async function startTrackedService(...args) {
    const started = await startService(...args);
    services.push(started);
    if (suiteOver)
        await started.stop();
    return started;
}

before(async () => {
    natsServer = await startNatsServer();
    service = await startTrackedService(natsServer.url);
    fastPing = await startTrackedService(natsServer.url, { PING_INTERVAL_MS: '300', PING_TIMEOUT_MS: '3000' },
                                         'reservo-ws (fast ping)');
    nats = await connectPublisher(natsServer.url, 'compat-polling-test');
}, { timeout: 2 * STARTUP_MS + WAIT_MS });

after(async () => {
    suiteOver = true;
    for (const socket of sockets)
        socket.disconnect();
    if (nats)
        await nats.close().catch(() => {});
    for (const child of [...services, natsServer])
        if (child)
            await child.stop();
});

const withServiceLogs = (fn) => withLogs(() => [service, fastPing, restarting], fn);

// The client configurations under test and the transport each must end on.
const CLIENTS = [
    { name: 'default options', options: {}, finalTransport: 'websocket' },
    { name: 'transports: ["polling"]', options: { transports: ['polling'] }, finalTransport: 'polling' },
    { name: 'upgrade: false', options: { upgrade: false }, finalTransport: 'polling' },
];

// A socket.io-client socket (NOT forced onto WebSocket) recorded by a Viewer, plus the transport
// history of its engines: `open:<name>` when an engine opens, `upgrade:<name>` when it upgrades,
// `upgradeError:<message>` when a probe fails.
function client(target, options = {}) {
    const socket = io(target.url, { reconnection: false, forceNew: true, ...options });
    sockets.push(socket);
    if (suiteOver)
        socket.disconnect();
    const v = new Viewer(socket);
    v.transportLog = [];
    socket.io.on('open', () => {
        const engine = socket.io.engine;
        v.transportLog.push(`open:${engine.transport.name}`);
        engine.on('upgrade', (transport) => { v.transportLog.push(`upgrade:${transport.name}`); v.notify(); });
        // A failed probe is not retried: the engine stays on long-polling. Recorded so that a
        // wait for the upgrade that times out says why.
        engine.on('upgradeError', (error) => { v.transportLog.push(`upgradeError:${error.message}`); v.notify(); });
        v.notify();
    });
    return v;
}

async function connectedClient(target, options) {
    const v = client(target, options);
    await v.connected();
    return v;
}

// Resolves once the current engine (a reconnection makes a new one) runs on the transport the
// configuration must end on: for default options after its `upgrade` event, which must have
// switched it to WebSocket.
async function settledTransport(v, finalTransport) {
    const currentEngineLog = () => v.transportLog.slice(v.transportLog.findLastIndex((e) => e.startsWith('open:')));
    if (finalTransport === 'websocket') {
        await v.waitFor(() => currentEngineLog().includes('upgrade:websocket'),
                        () => `the upgrade to websocket (transports so far: ${v.transportLog})`);
        assert.equal(v.socket.io.engine.transport.name, 'websocket');
    } else {
        assert.deepEqual(currentEngineLog(), ['open:polling']);
        assert.equal(v.socket.io.engine.transport.name, 'polling');
    }
}

const eventsNamed = (v, name) => v.events.filter((e) => e.name === name);
const offsetsOf = (v) => eventsNamed(v, 'update-seat-status').map((e) => e.args.at(-1));

function assertConsecutiveSeq(updates) {
    for (let i = 1; i < updates.length; ++i)
        assert.equal(updates[i].seq, updates[i - 1].seq + 1,
                     `seq ${updates[i].seq} after ${updates[i - 1].seq}: an update lost or repeated`);
}

// Every call changes one of a room's seats: each seat alternates between OCCUPIED and AVAILABLE,
// so every change alters its seat and is broadcast with the next seq.
function changer(eventId, seatCount = 9) {
    const seats = Array.from({ length: seatCount }, () => randomUUID());
    let n = 0;
    const next = () => {
        const i = n++;
        return { id: seats[i % seatCount], state: Math.floor(i / seatCount) % 2 ? 'AVAILABLE' : 'OCCUPIED' };
    };
    const publishNext = async () => {
        const change = next();
        await nats.publishSeat(eventId, change.id, change.state);
        return change;
    };
    return { publishNext, get published() { return n; } };
}

// Publishes `count` changes and waits until `watcher` has them all.
async function publishChanges(watcher, change, count) {
    const expected = watcher.updates.length + count;
    for (let i = 0; i < count; ++i)
        await change.publishNext();
    await watcher.waitFor(() => watcher.updates.length === expected, `${expected} updates`);
}

// Publishes a change every few ms in the background until stop() is awaited.
function keepPublishing(change, everyMs = 5) {
    let running = true;
    const loop = (async () => {
        while (running) {
            await change.publishNext();
            await delay(everyMs);
        }
    })();
    return { stop: async () => { running = false; await loop; } };
}

// Drops the transport the way a network failure does and waits until the service keeps the
// session for recovery.
async function dropTransport(target, v) {
    const before = await metric(target, 'reservo_recovery_sessions');
    v.socket.io.engine.close();
    await v.waitFor(() => v.disconnectReason, 'the disconnection', { whileDisconnected: true });
    await waitUntil(async () => await metric(target, 'reservo_recovery_sessions') === before + 1,
                    'the service to keep the session for recovery');
}

// A TCP proxy to the service that holds back each WebSocket handshake (`transport=websocket` in
// its request line) for `delayMs`; long-polling requests pass at once.
async function slowWebSocketProxy(target, delayMs) {
    const targetPort = Number(new URL(target.url).port);
    const connections = new Set();
    const server = net.createServer((downstream) => {
        connections.add(downstream);
        downstream.once('close', () => connections.delete(downstream));
        downstream.once('data', (head) => {
            downstream.pause();
            const forward = () => {
                const upstream = net.connect({ host: '127.0.0.1', port: targetPort }, () => {
                    upstream.write(head);
                    downstream.pipe(upstream).pipe(downstream);
                    downstream.resume();
                });
                connections.add(upstream);
                upstream.once('close', () => { connections.delete(upstream); downstream.destroy(); });
                upstream.on('error', () => downstream.destroy());
                downstream.once('close', () => upstream.destroy());
            };
            const firstLine = head.toString('latin1').split('\r\n', 1)[0];
            setTimeout(forward, firstLine.includes('transport=websocket') ? delayMs : 0);
        });
        downstream.on('error', () => {});
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
        url: `http://127.0.0.1:${server.address().port}`,
        close: () => { server.close(); for (const c of connections) c.destroy(); },
    };
}

describe('socket.io-client v4 over HTTP long-polling', { timeout: SUITE_MS }, () => {
    for (const { name, options, finalTransport } of CLIENTS) {
        test(`${name}: join ack, room-snapshot and NATS updates in order, ending on ${finalTransport}`,
             { timeout: TEST_MS }, withServiceLogs(async () => {
            const pollingBefore = await metric(service, 'reservo_polling_connections_total');
            const upgradesBefore = await metric(service, 'reservo_upgrades_total');
            const v = await connectedClient(service, options);
            const eventId = randomUUID();

            await v.join(eventId);
            await v.waitFor(() => eventsNamed(v, 'room-snapshot').length === 1, 'the room-snapshot');
            const snapshot = eventsNamed(v, 'room-snapshot')[0].args[0];
            assert.equal(snapshot.eventId, eventId);
            assert.equal(snapshot.seq, 0);
            assert.deepEqual(snapshot.seats, []);

            const change = changer(eventId);
            const published = [];
            for (let i = 0; i < 30; ++i)
                published.push(await change.publishNext());
            await v.waitFor(() => v.updates.length === published.length, `${published.length} updates`);
            assert.deepEqual(v.updates.map(seatView), published);
            assert.deepEqual(v.updates.map((u) => u.seq), published.map((_, i) => i + 1));

            await settledTransport(v, finalTransport);
            assert.equal(v.transportLog[0], 'open:polling', 'the engine starts on long-polling');
            assert.deepEqual(v.transportLog, finalTransport === 'websocket'
                ? ['open:polling', 'upgrade:websocket'] : ['open:polling']);
            assert.equal(await metric(service, 'reservo_polling_connections_total'), pollingBefore + 1);
            assert.equal(await metric(service, 'reservo_upgrades_total'),
                         upgradesBefore + (finalTransport === 'websocket' ? 1 : 0));
            v.close();
        }));
    }

    test('default options: a stream of updates crosses the upgrade with nothing lost or twice',
         { timeout: TEST_MS }, withServiceLogs(async (t) => {
        // On loopback the upgrade finishes before the CONNECT answer; a slow WebSocket path (as
        // behind some proxies) leaves the client on long-polling for a while after it joined.
        const proxy = await slowWebSocketProxy(service, 1_000);
        const eventId = randomUUID();
        const observer = await Viewer.connect(service.url);
        sockets.push(observer.socket);
        await observer.join(eventId);
        const change = changer(eventId);
        const publisher = keepPublishing(change);
        try {
            // Joined the moment it connects, as the frontend does, while changes keep coming.
            const v = client(proxy);
            const arrivals = []; // the engine's transport when each update arrived
            v.socket.on('update-seat-status', () => arrivals.push(v.socket.io.engine.transport.name));
            let joined;
            v.socket.on('connect', () => { joined = v.join(eventId); });
            await v.connected();
            await joined;
            await v.waitFor(() => v.transportLog.includes('upgrade:websocket'),
                            () => `the upgrade (transports so far: ${v.transportLog})`);
            const atUpgrade = v.updates.length;
            await v.waitFor(() => v.updates.length >= atUpgrade + 40, 'updates over the WebSocket');
            await publisher.stop();
            await observer.waitFor(() => observer.updates.length === change.published,
                                   `${change.published} updates at the observer`);
            const first = observer.updates.findIndex((u) => u.seq === v.updates[0].seq);
            assert.ok(first >= 0, `the client's first update (seq ${v.updates[0].seq}) is one of the room's`);
            await v.waitFor(() => v.updates.length === observer.updates.length - first, 'every later update');
            assert.deepEqual(v.updates, observer.updates.slice(first));
            assertConsecutiveSeq(v.updates);
            const overPolling = arrivals.filter((name) => name === 'polling').length;
            t.diagnostic(`${overPolling} updates over long-polling, ${arrivals.length - overPolling} over the WebSocket`);
            assert.ok(overPolling >= 10, `${overPolling} updates over long-polling before the upgrade`);
            assert.equal(v.socket.io.engine.transport.name, 'websocket');
            v.close();
        } finally {
            await publisher.stop();
            observer.close();
            proxy.close();
        }
    }));

    for (const { name, options, finalTransport } of CLIENTS) {
        test(`${name}: a dropped transport is recovered with every missed update, in order`,
             { timeout: TEST_MS }, withServiceLogs(async () => {
            const v = await connectedClient(service, options);
            const observer = await Viewer.connect(service.url);
            sockets.push(observer.socket);
            const eventId = randomUUID();
            await v.join(eventId);
            await observer.join(eventId);
            await settledTransport(v, finalTransport);
            const change = changer(eventId);
            await publishChanges(observer, change, 1);
            await v.waitFor(() => v.updates.length === 1, 'the first update');
            const idBefore = v.socket.id;

            await dropTransport(service, v);
            await publishChanges(observer, change, 6);
            assert.equal(v.updates.length, 1);
            // The same CONNECT with pid and offset that automatic reconnection sends, on a new
            // engine that starts on long-polling again.
            v.socket.connect();
            await v.connected();

            assert.equal(v.socket.recovered, true);
            assert.equal(v.socket.id, idBefore);
            await v.waitFor(() => v.updates.length === observer.updates.length, 'the missed updates');
            assert.deepEqual(v.updates, observer.updates);
            assert.deepEqual(offsetsOf(v), offsetsOf(observer));
            assertConsecutiveSeq(v.updates);
            assert.equal(eventsNamed(v, 'room-snapshot').length, 1, 'a recovered client needs no new snapshot');
            assert.equal(v.transportLog.filter((e) => e === 'open:polling').length, 2);
            // The room came back with the session.
            await publishChanges(observer, change, 1);
            await v.waitFor(() => v.updates.length === observer.updates.length, 'the next update');
            await settledTransport(v, finalTransport);
            v.close();
            observer.close();
        }));
    }

    for (const { name, options } of CLIENTS) {
        test(`${name}: reconnects by itself after engine.close() and recovers while changes keep coming`,
             { timeout: TEST_MS }, withServiceLogs(async (t) => {
            const v = await connectedClient(service, {
                ...options, reconnection: true, reconnectionDelay: 200, reconnectionDelayMax: 400 });
            const observer = await Viewer.connect(service.url);
            sockets.push(observer.socket);
            const eventId = randomUUID();
            await v.join(eventId);
            await observer.join(eventId);
            const change = changer(eventId);
            await publishChanges(observer, change, 1);
            await v.waitFor(() => v.updates.length === 1, 'the first update');

            let reconnected = false;
            v.socket.once('connect', () => { reconnected = true; });
            const publisher = keepPublishing(change, 10);
            try {
                v.socket.io.engine.close();
                await v.waitFor(() => reconnected, 'the automatic reconnection', { whileDisconnected: true });
                for (let i = 0; i < 3; ++i)
                    await change.publishNext();
            } finally {
                await publisher.stop();
            }
            assert.equal(v.socket.recovered, true);
            await observer.waitFor(() => observer.updates.length === change.published,
                                   `${change.published} updates at the observer`);
            await v.waitFor(() => v.updates.length === observer.updates.length, 'every update at the client');
            assert.deepEqual(v.updates, observer.updates);
            assertConsecutiveSeq(v.updates);
            t.diagnostic(`${change.published} changes published`);
            v.close();
            observer.close();
        }));
    }

    for (const { name, options, finalTransport } of CLIENTS.slice(0, 2)) {
        test(`${name}: reconnects by itself after the service restarts, rejoins and gets updates`,
             { timeout: TEST_MS }, withServiceLogs(async () => {
            const port = String(await freePort());
            restarting = await startTrackedService(natsServer.url, { PORT: port }, 'reservo-ws (restarting)');
            // The frontend's pattern: (re)join its event every time the socket connects.
            const eventId = randomUUID();
            const v = client(restarting, {
                ...options, reconnection: true, reconnectionDelay: 200, reconnectionDelayMax: 1000 });
            let connects = 0;
            v.socket.on('connect', () => { ++connects; v.join(eventId).catch(() => {}); });
            await v.connected();
            await v.waitFor(() => eventsNamed(v, 'room-snapshot').length === 1, 'the first room-snapshot');
            await settledTransport(v, finalTransport);
            const change = changer(eventId);
            await change.publishNext();
            await v.waitFor(() => v.updates.length === 1, 'an update before the restart');

            await restarting.stop();
            await v.waitFor(() => v.disconnectReason, 'the disconnection', { whileDisconnected: true });
            assert.ok(['transport close', 'transport error'].includes(v.disconnectReason), v.disconnectReason);
            restarting = await startTrackedService(natsServer.url, { PORT: port }, 'reservo-ws (restarted)');

            await v.waitFor(() => connects === 2 && eventsNamed(v, 'room-snapshot').length === 2,
                            'the reconnection and a fresh room-snapshot', { whileDisconnected: true });
            assert.equal(v.socket.recovered, false, 'a new process cannot recover the old session');
            assert.equal(eventsNamed(v, 'room-snapshot')[1].args[0].seq, 0);
            const after = await change.publishNext();
            await v.waitFor(() => v.updates.length === 2, 'an update after the restart');
            assert.deepEqual(seatView(v.updates[1]), after);
            await settledTransport(v, finalTransport);
            v.close();
            await restarting.stop();
        }));
    }

    test('transports: ["polling"]: pings and pongs over long-polling keep the session alive',
         { timeout: TEST_MS }, withServiceLogs(async () => {
        // 15 pings at 300 ms take longer than the 3.3 s a session without pongs would live.
        const v = await connectedClient(fastPing, { transports: ['polling'] });
        let pings = 0;
        v.socket.io.engine.on('ping', () => { ++pings; v.notify(); });
        await v.waitFor(() => pings >= 15, '15 pings');
        assert.equal(v.socket.connected, true);
        const eventId = randomUUID();
        await v.join(eventId);
        const change = changer(eventId);
        const published = await change.publishNext();
        await v.waitFor(() => v.updates.length === 1, 'an update');
        assert.deepEqual(seatView(v.updates[0]), published);
        assert.equal(await metric(fastPing, 'reservo_connections'), 1);
        v.close();
    }));
});
