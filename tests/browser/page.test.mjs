// SPDX-License-Identifier: MIT
// The example page (examples/web) in a real browser, Debian's chromium, loaded from another
// origin than the service, against a real reservo-ws and nats-server: the three transport choices
// of socket.io-client, the snapshot and ordered updates, connection state recovery after a
// dropped transport, an origin that ALLOWED_ORIGINS excludes, and a JWT in `auth`.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';

import { STARTUP_MS, SUITE_MS, TEST_MS, WAIT_MS, httpGet, startNatsServer, startService, waitUntil,
         withLogs, withTimeout } from '../support/processes.mjs';
import { connectEventsService, io, jwt, launchBrowser, readPage, startPageServer, waitForPage } from './fixture.mjs';

const SECRET = 'browser-test-secret';

let natsServer;
let pageServer;   // the page's origin, the one the services allow
let otherServer;  // the same page from an origin no service allows
let service;      // ALLOWED_ORIGINS=<page origin>
let authService;  // and JWT_SECRET
let events;
let browser;
const sockets = [];

before(async () => {
    natsServer = await startNatsServer();
    pageServer = await startPageServer();
    otherServer = await startPageServer('other origin');
    service = await startService(natsServer.url, { ALLOWED_ORIGINS: pageServer.origin });
    authService = await startService(natsServer.url,
                                     { ALLOWED_ORIGINS: pageServer.origin, JWT_SECRET: SECRET },
                                     'reservo-ws (JWT)');
    events = await connectEventsService(natsServer.url);
    browser = await launchBrowser();
}, { timeout: 5 * STARTUP_MS });

after(async () => {
    for (const socket of sockets)
        socket.close();
    await browser?.close();
    await events?.close().catch(() => {});
    for (const child of [authService, service, otherServer, pageServer, natsServer])
        await child?.stop();
});

const withChildLogs = (fn) => withLogs(() => [service, authService, pageServer, natsServer], fn);

async function metric(target, series) {
    const page = await httpGet(`${target.url}/metrics`);
    const line = page?.body.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? NaN : Number(line.slice(series.length + 1));
}

// A fresh event with a seat map of two rows and a tag that is not row+number.
function newEvent() {
    const eventId = randomUUID();
    const tags = ['A1', 'A2', 'A3', 'B1', 'B2', 'B10', 'VIP-box'];
    const seats = tags.map((tag, i) => ({ id: randomUUID(), tag, state: i === 2 ? 'OCCUPIED' : 'AVAILABLE' }));
    events.addEvent(eventId, seats);
    return { eventId, seats };
}

// Opens the example page from `server` with the query string `query`, collects its console
// errors for the failure message.
async function openPage(query, server = pageServer) {
    const page = await browser.context.newPage();
    page.consoleErrors = [];
    page.on('console', (m) => { if (m.type() === 'error') page.consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => page.consoleErrors.push(String(e)));
    await page.goto(`${server.url}?${new URLSearchParams(query)}`);
    return page;
}

// The page shows the event's whole seat map, laid out by row and number, complete.
async function expectSnapshot(page, { seats }) {
    const view = await waitForPage(page, (v) => Object.keys(v.seats).length === seats.length
                                   && v.connection === 'connected' && v.error === '',
                                   'the complete seat map');
    for (const seat of seats)
        assert.equal(view.seats[seat.id]?.state, seat.state, `seat ${seat.tag}`);
    assert.deepEqual(view.rows, [['A1', 'A2', 'A3'], ['B1', 'B2', 'B10'], ['VIP-box']]);
    return view;
}

// Publishes `count` changes, each one altering its seat, and expects the page to show all of them
// in order: a log of consecutive seq numbers, in publishing order, and the final states.
let changeNumber = 0;
async function expectOrderedUpdates(page, { eventId, seats }, count = 12) {
    const before = await waitForPage(page, (v) => v.connection === 'connected', 'a connected page');
    const state = new Map(seats.map((s) => [s.id, s.state]));
    const published = [];
    for (let i = 0; i < count; ++i) {
        const seat = seats[changeNumber++ % seats.length];
        const next = { AVAILABLE: 'PENDING', PENDING: 'OCCUPIED', OCCUPIED: 'AVAILABLE' }[state.get(seat.id)];
        state.set(seat.id, next);
        published.push({ id: seat.id, state: next });
        await events.publishSeat(eventId, seat.id, next);
    }
    const view = await waitForPage(page, (v) => v.log.length === before.log.length + count,
                                   `${count} more changes in the page's log`);
    const fresh = view.log.slice(before.log.length);
    assert.deepEqual(fresh.map(({ id, state: s }) => ({ id, state: s })), published);
    fresh.forEach((entry, i) => assert.equal(entry.seq, before.seq + 1 + i, 'consecutive seq'));
    assert.equal(view.seq, before.seq + count);
    for (const [id, s] of state)
        assert.equal(view.seats[id].state, s);
    for (const seat of seats)
        seat.state = state.get(seat.id);
    return view;
}

function assertNoPageErrors(page) {
    assert.deepEqual(page.consoleErrors, [], 'the page logged errors');
}

describe('the example page in chromium', { timeout: SUITE_MS }, () => {
    test('default options: long-polling, then the upgrade to WebSocket; snapshot and ordered updates',
         { timeout: TEST_MS }, withChildLogs(async () => {
        const room = newEvent();
        const polling = await metric(service, 'reservo_polling_connections_total');
        const upgrades = await metric(service, 'reservo_upgrades_total');
        const page = await openPage({ server: service.url, event: room.eventId });
        await expectSnapshot(page, room);
        await waitForPage(page, (v) => v.transport === 'websocket', 'the upgrade to WebSocket');
        assert.equal(await metric(service, 'reservo_polling_connections_total'), polling + 1);
        assert.equal(await metric(service, 'reservo_upgrades_total'), upgrades + 1);
        await expectOrderedUpdates(page, room);
        assertNoPageErrors(page);
        await page.close();
    }));

    test('transports=websocket: WebSocket only', { timeout: TEST_MS }, withChildLogs(async () => {
        const room = newEvent();
        const polling = await metric(service, 'reservo_polling_connections_total');
        const page = await openPage({ server: service.url, event: room.eventId, transports: 'websocket' });
        await expectSnapshot(page, room);
        assert.equal((await waitForPage(page, (v) => v.transport !== '-', 'a transport')).transport, 'websocket');
        await expectOrderedUpdates(page, room);
        assert.equal(await metric(service, 'reservo_polling_connections_total'), polling);
        assertNoPageErrors(page);
        await page.close();
    }));

    test('transports=polling: long-polling only, cross-origin', { timeout: TEST_MS }, withChildLogs(async () => {
        const room = newEvent();
        const upgrades = await metric(service, 'reservo_upgrades_total');
        const page = await openPage({ server: service.url, event: room.eventId, transports: 'polling' });
        await expectSnapshot(page, room);
        await expectOrderedUpdates(page, room);
        const view = await readPage(page);
        assert.equal(view.transport, 'polling');
        assert.equal(await metric(service, 'reservo_upgrades_total'), upgrades);
        assertNoPageErrors(page);
        await page.close();
    }));

    test('a dropped transport is recovered with the updates missed meanwhile, in order',
         { timeout: TEST_MS }, withChildLogs(async () => {
        const room = newEvent();
        const page = await openPage({ server: service.url, event: room.eventId });
        await expectSnapshot(page, room);
        await waitForPage(page, (v) => v.transport === 'websocket', 'the upgrade to WebSocket');
        await expectOrderedUpdates(page, room, 3);
        await page.evaluate(() => {
            window.snapshotsSeen = 0;
            window.reservoSocket.on('room-snapshot', () => ++window.snapshotsSeen);
        });
        // An observer in the same room proves the changes were broadcast while the page was away.
        const observer = io(service.url, { transports: ['websocket'], reconnection: false, forceNew: true });
        sockets.push(observer);
        const seen = [];
        observer.on('update-seat-status', (u) => seen.push(u));
        await withTimeout(new Promise((resolve) => observer.once('connect', resolve)), WAIT_MS, 'the observer');
        await withTimeout(observer.timeout(WAIT_MS).emitWithAck('join-event-room', { eventId: room.eventId }),
                          WAIT_MS + 1000, 'the observer join');

        // The network goes away: the transport closes without a Socket.IO DISCONNECT. The test
        // reconnects the page itself (socket.connect(): the same CONNECT with pid and offset that
        // automatic reconnection sends), once the missed changes certainly were broadcast.
        const recoveries = await metric(service, 'reservo_recoveries_total');
        await page.evaluate(() => {
            window.reservoSocket.io.reconnection(false);
            window.reservoSocket.io.engine.close();
        });
        await waitForPage(page, (v) => v.connection === 'disconnected', 'the page to see the drop');
        await waitUntil(async () => await metric(service, 'reservo_recovery_sessions') >= 1,
                        'the service to keep the session for recovery');
        const away = await readPage(page);
        for (let i = 0; i < 5; ++i) {
            const seat = room.seats[i];
            seat.state = seat.state === 'OCCUPIED' ? 'AVAILABLE' : 'OCCUPIED';
            await events.publishSeat(room.eventId, seat.id, seat.state);
        }
        await waitUntil(() => seen.length === 5, () => `5 updates at the observer (${seen.length})`);
        assert.equal((await readPage(page)).log.length, away.log.length);

        await page.evaluate(() => window.reservoSocket.connect());
        const view = await waitForPage(page, (v) => v.connection === 'connected' && v.log.length === away.log.length + 5,
                                       'the page recovered with the 5 missed changes');
        assert.equal(view.recovered, 'true');
        assert.equal(await page.evaluate(() => window.reservoSocket.recovered), true);
        assert.equal(await page.evaluate(() => window.snapshotsSeen), 0, 'a recovered page needs no new snapshot');
        assert.deepEqual(view.log.slice(away.log.length).map((e) => e.seq), seen.map((u) => u.seq));
        assert.equal(seen[0].seq, away.seq + 1);
        for (const seat of room.seats)
            assert.equal(view.seats[seat.id].state, seat.state);
        assert.equal(await metric(service, 'reservo_recoveries_total'), recoveries + 1);
        await expectOrderedUpdates(page, room, 3);
        assertNoPageErrors(page);
        await page.close();
    }));

    test('a page from an origin that ALLOWED_ORIGINS excludes is refused', { timeout: TEST_MS },
         withChildLogs(async () => {
        const room = newEvent();
        const refused = await metric(service, 'reservo_origins_refused_total');
        const accepted = await metric(service, 'reservo_connections_total');
        const page = await openPage({ server: service.url, event: room.eventId }, otherServer);
        await waitUntil(async () => await metric(service, 'reservo_origins_refused_total') > refused,
                        'the service to refuse the origin');
        const view = await waitForPage(page, (v) => v.error !== '', 'the page to show the connect error');
        assert.notEqual(view.connection, 'connected');
        assert.deepEqual(view.seats, {});
        assert.equal(await metric(service, 'reservo_connections_total'), accepted);
        await page.close();
    }));

    test('JWT_SECRET: a valid token in auth connects, a bad one is refused', { timeout: TEST_MS },
         withChildLogs(async () => {
        const room = newEvent();
        const exp = Math.floor(Date.now() / 1000) + 600;
        const valid = jwt.sign({ sub: 'box-office', exp }, SECRET, { algorithm: 'HS256' });
        const page = await openPage({ server: authService.url, event: room.eventId, token: valid });
        await expectSnapshot(page, room);
        await expectOrderedUpdates(page, room, 4);
        assertNoPageErrors(page);
        await page.close();

        const refusedAuth = await metric(authService, 'reservo_auth_refused_total');
        for (const [token, message] of [
            [jwt.sign({ sub: 'box-office', exp }, 'another-secret'), 'Unauthorized: invalid signature'],
            [undefined, 'Unauthorized: no token'],
        ]) {
            const query = { server: authService.url, event: room.eventId, ...(token && { token }) };
            const refusedPage = await openPage(query);
            const view = await waitForPage(refusedPage, (v) => v.connection === 'refused', 'the refusal');
            assert.equal(view.error, message);
            assert.deepEqual(view.seats, {});
            await refusedPage.close();
        }
        assert.equal(await metric(authService, 'reservo_auth_refused_total'), refusedAuth + 2);
    }));
});
