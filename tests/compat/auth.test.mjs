// SPDX-License-Identifier: MIT
// Authentication and origin checks with the real npm `socket.io-client` v4 and tokens minted by an
// independent implementation (the npm `jsonwebtoken` package): with JWT_SECRET set, CONNECT needs
// an unexpired HS256 token in `auth.token` or the gateway's `access-token` cookie; with
// ALLOWED_ORIGINS set, browser handshakes from other origins are refused.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { STARTUP_MS, SUITE_MS, TEST_MS, io, metric, startNatsServer, startService, withTimeout,
         WAIT_MS } from './fixture.mjs';

const { default: jwt } = await import('jsonwebtoken');

const SECRET = 'compat-test-secret';
const ALLOWED = 'https://box-office.example';
const now = () => Math.floor(Date.now() / 1000);

let natsServer;
let service;

before(async () => {
    natsServer = await startNatsServer();
    service = await startService(natsServer.url, { JWT_SECRET: SECRET, ALLOWED_ORIGINS: ALLOWED },
                                 'reservo-ws (auth)');
}, { timeout: 2 * STARTUP_MS });

after(async () => {
    await service?.stop();
    await natsServer?.stop();
});

// Connects once without retries: 'connected', or the connect_error message.
function attempt(options) {
    const socket = io(service.url, { transports: ['websocket'], reconnection: false, forceNew: true,
                                     ...options });
    return withTimeout(new Promise((resolve) => {
        socket.on('connect', () => { socket.close(); resolve('connected'); });
        socket.on('connect_error', (error) => { socket.close(); resolve(error.message); });
    }), WAIT_MS, 'a connect or connect_error');
}

describe('JWT and origin checks against reservo-ws', { timeout: SUITE_MS }, () => {
    const valid = () => jwt.sign({ sub: 'staff-1', exp: now() + 600 }, SECRET, { algorithm: 'HS256' });

    test('a valid token in auth.token connects', { timeout: TEST_MS }, async () => {
        assert.equal(await attempt({ auth: { token: valid() } }), 'connected');
    });

    test("a valid token in the gateway's access-token cookie connects", { timeout: TEST_MS }, async () => {
        assert.equal(await attempt({ extraHeaders: { Cookie: `theme=dark; access-token=${valid()}` } }),
                     'connected');
    });

    const refused = [
        ['no token', {}, 'Unauthorized: no token'],
        ['an expired token', { auth: { token: jwt.sign({ sub: 's', exp: now() - 60 }, SECRET) } },
         'Unauthorized: token expired'],
        ['a token without exp', { auth: { token: jwt.sign({ sub: 's' }, SECRET, { noTimestamp: true }) } },
         'Unauthorized: token without exp'],
        ['a wrong signature', { auth: { token: jwt.sign({ sub: 's', exp: now() + 600 }, 'other-secret') } },
         'Unauthorized: invalid signature'],
        ['alg none', { auth: { token: jwt.sign({ sub: 's', exp: now() + 600 }, null, { algorithm: 'none' }) } },
         'Unauthorized: unsupported algorithm'],
        ['HS512', { auth: { token: jwt.sign({ sub: 's', exp: now() + 600 }, SECRET, { algorithm: 'HS512' }) } },
         'Unauthorized: unsupported algorithm'],
        ['a malformed token', { auth: { token: 'not.a.jwt' } }, 'Unauthorized: malformed token'],
        ['an expired cookie', { extraHeaders: { Cookie: `access-token=${jwt.sign({ exp: now() - 1 }, SECRET)}` } },
         'Unauthorized: token expired'],
    ];
    for (const [what, options, message] of refused) {
        test(`${what} is refused with CONNECT_ERROR`, { timeout: TEST_MS }, async () => {
            assert.equal(await attempt(options), message);
        });
    }

    // Default options: the CONNECT (and its auth) goes over long-polling before any upgrade.
    test('default options with withCredentials: a valid auth.token connects over polling and upgrades',
         { timeout: TEST_MS }, async () => {
        const socket = io(service.url, { reconnection: false, forceNew: true, withCredentials: true,
                                         auth: { token: valid() } });
        try {
            const upgraded = new Promise((resolve) => socket.io.engine.once('upgrade', resolve));
            await withTimeout(new Promise((resolve, reject) => {
                socket.once('connect', resolve);
                socket.once('connect_error', reject);
            }), WAIT_MS, 'the connection');
            await withTimeout(upgraded, WAIT_MS, 'the upgrade');
            assert.equal(socket.io.engine.transport.name, 'websocket');
        } finally {
            socket.close();
        }
    });

    for (const [what, options, message] of refused.slice(0, 2)) {
        test(`transports: ["polling"]: ${what} is refused with CONNECT_ERROR`, { timeout: TEST_MS }, async () => {
            assert.equal(await attempt({ ...options, transports: ['polling'] }), message);
        });
    }

    test('an origin not in ALLOWED_ORIGINS is refused, an allowed one connects', { timeout: TEST_MS }, async () => {
        const before = await metric(service, 'reservo_origins_refused_total');
        assert.notEqual(await attempt({ auth: { token: valid() }, extraHeaders: { Origin: 'https://evil.example' } }),
                        'connected');
        assert.equal(await metric(service, 'reservo_origins_refused_total'), before + 1);
        assert.equal(await attempt({ auth: { token: valid() }, extraHeaders: { Origin: ALLOWED } }), 'connected');
    });
});
