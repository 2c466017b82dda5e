// SPDX-License-Identifier: MIT
// Fixture of the browser tests: Debian's chromium driven by playwright-core, the example page
// (examples/web) served by its own static server on another port, so on another origin than the
// service, and the NATS side of the events service (publisher and events.get.id responder).
// Processes come from tests/support/processes.mjs; every wait is bounded and on a condition.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ManagedProcess, STARTUP_MS, WAIT_MS, waitUntil, withTimeout } from '../support/processes.mjs';

const here = (p) => new URL(p, import.meta.url);
const webDir = here('../../examples/web/');
for (const [dir, what] of [[here('./'), 'tests/browser'], [webDir, 'examples/web']]) {
    if (!existsSync(new URL('node_modules/', dir)))
        throw new Error(`${what}/node_modules is missing: run \`npm ci --prefix ${what}\` from the `
                        + 'repository root first (scripts/test.sh does)');
}
const { chromium } = await import('playwright-core');
const { connect: natsConnect, StringCodec } = await import('nats');
export const { io } = await import('socket.io-client');
export const { default: jwt } = await import('jsonwebtoken');
const sc = StringCodec();

export const CHROMIUM = process.env.CHROMIUM_EXE || '/usr/bin/chromium';

// Debian's chromium with a fresh profile; this machine reaches no network, so every background
// service of the browser is off.
export async function launchBrowser() {
    const profile = mkdtempSync(path.join(tmpdir(), 'reservo-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true, // playwright passes --headless
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
               '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        timeout: STARTUP_MS,
    });
    context.setDefaultTimeout(WAIT_MS);
    return {
        context,
        async close() {
            await context.close().catch(() => {});
            rmSync(profile, { recursive: true, force: true });
        },
    };
}

// examples/web/serve.mjs on a free port of its own: its origin is http://127.0.0.1:<port>.
export async function startPageServer(name = 'page server') {
    const server = new ManagedProcess(name, process.execPath,
                                      [new URL('serve.mjs', webDir).pathname, '--port', '0'], {});
    await server.waitUntil(() => /http:\/\/\S+\//.test(server.output.join('')), 'its URL');
    server.url = /http:\/\/\S+\//.exec(server.output.join(''))[0];
    server.origin = new URL(server.url).origin;
    return server;
}

// The events service's NATS side: seat changes on update.seat.state, seat maps on events.get.id.
export async function connectEventsService(natsUrl) {
    const nc = await withTimeout(natsConnect({ servers: natsUrl, name: 'browser-test' }), WAIT_MS,
                                 'the test NATS connection');
    const seatMaps = new Map(); // eventId -> [{id, tag, state}]
    const subscription = nc.subscribe('events.get.id');
    (async () => {
        for await (const request of subscription) {
            const eventId = JSON.parse(sc.decode(request.data)).data;
            const seats = seatMaps.get(eventId);
            request.respond(sc.encode(JSON.stringify(seats
                ? { status: 'OK', code: 200, message: {
                    id: eventId, name: 'Browser test', description: '', date: '2026-12-24T20:00:00Z',
                    capacity: seats.length, organizedBy: {}, seats: seats.map((s) => ({ ...s, userId: null })) } }
                : { path: '/events', message: 'not found', status: 'NOT_FOUND', timestamp: '', code: 404 })));
        }
    })();
    await nc.flush();
    return {
        addEvent(eventId, seats) { seatMaps.set(eventId, seats); },
        publishSeat(eventId, seatId, seatState) {
            nc.publish('update.seat.state', sc.encode(JSON.stringify({ eventId, seatId, seatState })));
            return nc.flush();
        },
        close: () => nc.close(),
    };
}

// What the example page shows, read from its DOM as a person would see it.
export function readPage(page) {
    return page.evaluate(() => ({
        connection: document.getElementById('connection').dataset.state,
        recovered: document.getElementById('connection').dataset.recovered,
        transport: document.getElementById('transport').textContent,
        seq: Number(document.getElementById('seq').textContent),
        error: document.getElementById('error').textContent,
        seats: Object.fromEntries([...document.querySelectorAll('.seat')]
            .map((el) => [el.dataset.id, { state: el.dataset.state, tag: el.textContent }])),
        rows: [...document.querySelectorAll('.row')].map((row) =>
            [...row.querySelectorAll('.seat')].map((el) => el.textContent)),
        // The change log, oldest first.
        log: [...document.querySelectorAll('#log li')].reverse()
            .map((li) => ({ seq: Number(li.dataset.seq), id: li.dataset.id, state: li.dataset.state })),
    }));
}

// Waits until `predicate(view of the page)` holds; the last view is in the timeout's message.
export async function waitForPage(page, predicate, what) {
    let last;
    await waitUntil(async () => { last = await readPage(page); return predicate(last); },
                    () => `${what} (page shows ${JSON.stringify(last)})`);
    return last;
}
