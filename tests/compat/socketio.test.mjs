// SPDX-License-Identifier: MIT
// Compatibility proof: the real npm `socket.io-client` v4 and `nats` clients, unchanged, against a
// real reservo-ws backed by a real nats-server. Every wait is on an event or a polled condition with
// a generous bound, because CI shares two cores between the service, NATS and this runner.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';

import {
    Manager, STARTUP_MS, SUITE_MS, TEST_MS, Viewer, WAIT_MS, connectPublisher, io, sc, seatView,
    startNatsServer, startService, withLogs, withTimeout,
} from './fixture.mjs';

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
    return nats.publishSeat(eventId, seatId, seatState);
}

before(async () => {
    natsServer = await startNatsServer();
    service = await startService(natsServer.url);
    env.natsUrl = natsServer.url;
    env.url = service.url;
    nats = await connectPublisher(env.natsUrl, 'compat-test');
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
const withServiceLog = (fn) => withLogs(() => [service], fn);

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
