// SPDX-License-Identifier: MIT
// Connection state recovery with the real npm `socket.io-client` v4 (its own v4.6+ mechanism:
// the CONNECT reply's pid, the offset as the last argument of each broadcast): a client whose
// transport drops gets `socket.recovered === true` and every update it missed, in order, nothing
// lost or twice; after the service's window it is told it was not recovered, and a rejoin brings
// a fresh room-snapshot.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';

import {
    STARTUP_MS, SUITE_MS, TEST_MS, Viewer, WAIT_MS, connectPublisher, metric, startNatsServer,
    startService, waitUntil, withLogs,
} from './fixture.mjs';

const WINDOW_MS = 3_000; // MAX_DISCONNECTION_DURATION_MS of the short-window service

let natsServer;
let service;      // default recovery window (2 minutes)
let shortWindow;  // MAX_DISCONNECTION_DURATION_MS=WINDOW_MS
let nats;
const viewers = [];

async function viewer(target, options) {
    const v = await Viewer.connect(target.url, '/', options);
    viewers.push(v);
    return v;
}

before(async () => {
    natsServer = await startNatsServer();
    service = await startService(natsServer.url);
    shortWindow = await startService(natsServer.url,
                                     { MAX_DISCONNECTION_DURATION_MS: String(WINDOW_MS) },
                                     'reservo-ws (short window)');
    nats = await connectPublisher(natsServer.url, 'compat-recovery-test');
}, { timeout: 3 * STARTUP_MS + WAIT_MS });

after(async () => {
    for (const v of viewers)
        v.close();
    if (nats)
        await nats.close().catch(() => {});
    for (const child of [service, shortWindow, natsServer])
        if (child)
            await child.stop();
});

const withServiceLogs = (fn) => withLogs(() => [service, shortWindow], fn);

// Events of one name, with all their arguments, in arrival order.
const eventsNamed = (v, name) => v.events.filter((e) => e.name === name);
const offsetsOf = (v) => eventsNamed(v, 'update-seat-status').map((e) => e.args.at(-1));

// A client and an observer in a fresh room, both past their room-snapshot and a first update.
async function roomWithFirstUpdate(target, options) {
    const [client, observer] = [await viewer(target, options), await viewer(target)];
    const eventId = randomUUID();
    await client.join(eventId);
    await observer.join(eventId);
    for (const v of [client, observer])
        await v.waitFor(() => eventsNamed(v, 'room-snapshot').length === 1, 'the room-snapshot');
    const seats = Array.from({ length: 10 }, () => randomUUID());
    await nats.publishSeat(eventId, seats[0], 'PENDING');
    for (const v of [client, observer])
        await v.waitFor(() => v.updates.length === 1, 'the first update');
    return { client, observer, eventId, seats };
}

// Drops the client's transport the way a network failure does, and waits until the service has
// kept its session for recovery.
async function dropTransport(target, client) {
    client.socket.io.engine.close();
    await client.waitFor(() => client.disconnectReason, 'the disconnection', { whileDisconnected: true });
    await waitUntil(async () => await metric(target, 'reservo_recovery_sessions') === 1,
                    'the service to keep the session for recovery');
}

// Publishes the next change of the room's seats 1-9: each seat alternates between OCCUPIED and
// AVAILABLE, so every change alters its seat and is broadcast.
let changeNumber = 0;
function publishNextChange(eventId, seats) {
    const n = changeNumber++;
    return nats.publishSeat(eventId, seats[1 + (n % 9)], Math.floor(n / 9) % 2 ? 'AVAILABLE' : 'OCCUPIED');
}

// Publishes `count` changes and waits until the observer has them all.
async function publishChanges(observer, eventId, seats, count) {
    const expected = observer.updates.length + count;
    for (let i = 0; i < count; ++i)
        await publishNextChange(eventId, seats);
    await observer.waitFor(() => observer.updates.length === expected, `${expected} updates at the observer`);
}

function assertConsecutiveSeq(updates) {
    for (let i = 1; i < updates.length; ++i)
        assert.equal(updates[i].seq, updates[i - 1].seq + 1,
                     `seq ${updates[i].seq} after ${updates[i - 1].seq}: an update lost or repeated`);
}

describe('connection state recovery with socket.io-client v4', { timeout: SUITE_MS }, () => {
    test('a dropped transport is recovered with every missed update, in order', { timeout: TEST_MS },
         withServiceLogs(async () => {
        // The test reconnects the socket itself (socket.connect(), the same CONNECT with pid and
        // offset that the client's automatic reconnection sends) only once the observer proves the
        // service broadcast every change: so they are certainly missed, not delivered live.
        const { client, observer, eventId, seats } = await roomWithFirstUpdate(service, { reconnection: false });
        const idBefore = client.socket.id;
        await dropTransport(service, client);
        await publishChanges(observer, eventId, seats, 6);
        assert.equal(client.updates.length, 1);

        client.socket.connect();
        await client.connected();
        assert.equal(client.socket.recovered, true);
        assert.equal(client.socket.id, idBefore);
        await client.waitFor(() => client.updates.length === observer.updates.length, 'the missed updates');
        assert.deepEqual(client.updates, observer.updates);
        assert.deepEqual(offsetsOf(client), offsetsOf(observer));
        assertConsecutiveSeq(client.updates);
        assert.equal(eventsNamed(client, 'room-snapshot').length, 1, 'a recovered client needs no new snapshot');

        // The room came back with the session: no rejoin needed for what follows.
        await publishChanges(observer, eventId, seats, 1);
        await client.waitFor(() => client.updates.length === observer.updates.length, 'the next update');
        assert.deepEqual(client.updates, observer.updates);
        assert.equal(await metric(service, 'reservo_recoveries_total'), 1);
    }));

    test('a client that has seen only its snapshot recovers: a quiet room, then changes while away',
         { timeout: TEST_MS }, withServiceLogs(async () => {
        // socket.io-client sends back only an offset it received: room-snapshot and room-presence
        // carry one, so a page that joined a quiet room is recoverable from the start.
        const [client, observer] = [await viewer(service, { reconnection: false }), await viewer(service)];
        const eventId = randomUUID();
        await client.join(eventId);
        await client.waitFor(() => eventsNamed(client, 'room-snapshot').length === 1, 'the room-snapshot');
        const snapshotOffset = eventsNamed(client, 'room-snapshot')[0].args.at(-1);
        assert.match(snapshotOffset, /^[0-9]+$/, 'the snapshot carries its recovery offset last');
        await observer.join(eventId);
        await client.waitFor(() => eventsNamed(client, 'room-presence').some((e) => e.args[0].viewers === 2),
                             'room-presence with two viewers');
        const presence = eventsNamed(client, 'room-presence').at(-1).args;
        assert.match(presence.at(-1), /^[0-9]+$/, 'room-presence carries its recovery offset last');
        assert.ok(BigInt(presence.at(-1)) > BigInt(snapshotOffset), 'offsets rise');
        assert.equal(client.updates.length, 0, 'a quiet room: no update yet');

        await dropTransport(service, client);
        const seats = Array.from({ length: 10 }, () => randomUUID());
        await publishChanges(observer, eventId, seats, 4);
        client.socket.connect();
        await client.connected();
        assert.equal(client.socket.recovered, true);
        await client.waitFor(() => client.updates.length === observer.updates.length, 'the missed updates');
        assert.deepEqual(client.updates, observer.updates);
        assertConsecutiveSeq(client.updates);
        assert.equal(eventsNamed(client, 'room-snapshot').length, 1, 'a recovered client needs no new snapshot');
    }));

    test('automatic reconnection recovers while changes keep coming', { timeout: TEST_MS },
         withServiceLogs(async (t) => {
        const { client, observer, eventId, seats } = await roomWithFirstUpdate(
            service, { reconnection: true, reconnectionDelay: 200, reconnectionDelayMax: 400 });
        let recovered;
        let missed;
        client.socket.once('connect', () => {
            recovered = client.socket.recovered;
            missed = observer.updates.length - client.updates.length;
        });
        client.socket.io.engine.close();
        // A change every 10 ms while the client is away and reconnects by itself, then a few more:
        // some are replayed, some delivered live, and the seam between them must not show.
        let published = 0;
        const publishOne = () => { ++published; return publishNextChange(eventId, seats); };
        await publishOne();
        await waitUntil(async () => { await publishOne(); await delay(10); return recovered !== undefined; },
                        'the automatic reconnection');
        for (let i = 0; i < 3; ++i)
            await publishOne();
        assert.equal(recovered, true);
        t.diagnostic(`${published} changes published, about ${missed} of them missed while away`);
        await observer.waitFor(() => observer.updates.length === 1 + published, `${1 + published} updates at the observer`);
        await client.waitFor(() => client.updates.length === observer.updates.length, 'every update at the client');
        assert.deepEqual(client.updates, observer.updates);
        assertConsecutiveSeq(client.updates);
    }));

    test('after the window the client is not recovered and a rejoin gets a fresh snapshot', { timeout: TEST_MS },
         withServiceLogs(async () => {
        const { client, observer, eventId, seats } = await roomWithFirstUpdate(shortWindow, { reconnection: false });
        const idBefore = client.socket.id;
        await dropTransport(shortWindow, client);
        await publishChanges(observer, eventId, seats, 3);
        await waitUntil(async () => await metric(shortWindow, 'reservo_recovery_sessions') === 0,
                        `the ${WINDOW_MS} ms window to expire`, WINDOW_MS + WAIT_MS);

        client.socket.connect();
        await client.connected();
        assert.equal(client.socket.recovered, false);
        assert.notEqual(client.socket.id, idBefore);
        // A replay would arrive right after CONNECT, before the answer to the join sent after it.
        await client.join(eventId);
        assert.equal(client.updates.length, 1, 'nothing replayed');
        await client.waitFor(() => eventsNamed(client, 'room-snapshot').length === 2, 'a fresh room-snapshot');
        const snapshot = eventsNamed(client, 'room-snapshot')[1].args[0];
        const last = observer.updates.at(-1);
        assert.equal(snapshot.seq, last.seq);
        const expected = new Map();
        for (const u of observer.updates)
            expected.set(u.id, u.state);
        assert.deepEqual(new Map(snapshot.seats.map((s) => [s.id, s.state])), expected);

        await publishChanges(observer, eventId, seats, 1);
        await client.waitFor(() => client.updates.length === 2, 'the next update');
        assert.equal(client.updates[1].seq, snapshot.seq + 1);
        assert.equal(await metric(shortWindow, 'reservo_recoveries_refused_total'), 1);
    }));
});
