// SPDX-License-Identifier: MIT
// The Grafana dashboard (deploy/grafana/reservo-ws.json) and the alerts (deploy/prometheus/
// alerts.yml) against a live reservo-ws: every metric they name is on its /metrics, and a real
// Prometheus (Debian's) scraping it answers every dashboard query with data and evaluates every
// alerting rule without error. A renamed metric or a broken query fails here, not on a wall screen.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
    ManagedProcess, STARTUP_MS, SUITE_MS, TEST_MS, WAIT_MS, freePort, httpGet, startNatsServer,
    startService, waitUntil, withLogs,
} from '../support/processes.mjs';

const repo = new URL('../../', import.meta.url);
const dashboard = JSON.parse(readFileSync(new URL('deploy/grafana/reservo-ws.json', repo), 'utf8'));
const alertsPath = new URL('deploy/prometheus/alerts.yml', repo).pathname;
const MAX_CONNECTIONS = 1234;

// What the dashboard must show (issue 16): each of these is queried by some panel.
const REQUIRED = [
    'reservo_connections', 'reservo_max_connections', 'reservo_rooms', 'reservo_members',
    'reservo_messages_out_total', 'reservo_delivery_latency_seconds_bucket',
    'reservo_nats_connected', 'reservo_nats_reconnects_total', 'reservo_nats_bad_input_total',
    'reservo_malformed_packets_total', 'reservo_slow_consumers_total',
    'reservo_invalid_joins_total', 'reservo_joins_rate_limited_total',
];

// Every panel's queries, rows' nested panels included, and the template variables' queries.
function dashboardQueries() {
    const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
    const exprs = panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));
    for (const v of dashboard.templating.list.filter((v) => v.type === 'query'))
        exprs.push({ panel: `variable ${v.name}`, expr: v.query.query ?? v.query });
    return exprs;
}

const metricNames = (text) => new Set(text.match(/\breservo_[a-z0-9_]+/g) ?? []);

// Names of the series on a /metrics page (histograms' _bucket, _sum and _count included).
function exposedSeries(text) {
    const names = new Map();
    for (const line of text.split('\n')) {
        const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/.exec(line);
        if (m)
            names.set(m[1] + (m[2] ?? ''), Number(m[3]));
    }
    return names;
}

// A dashboard query as Grafana sends it, for all instances.
const asGrafanaSends = (expr) => expr.replaceAll('$__rate_interval', '15s').replaceAll('$instance', '.*');

let natsServer;
let service;
let prometheus;
let prometheusUrl;
let scratch;

before(async () => {
    natsServer = await startNatsServer();
    service = await startService(natsServer.url, { MAX_CONNECTIONS: String(MAX_CONNECTIONS) });
}, { timeout: 2 * STARTUP_MS });

after(async () => {
    await prometheus?.stop();
    await service?.stop();
    await natsServer?.stop();
    if (scratch)
        rmSync(scratch, { recursive: true, force: true });
});

// A real Prometheus scraping the service every second with alerts.yml loaded, awaited until it
// has scraped it three times (rate() needs two samples).
async function startPrometheus() {
    scratch = mkdtempSync(path.join(tmpdir(), 'reservo-prometheus-'));
    const config = path.join(scratch, 'prometheus.yml');
    writeFileSync(config, [
        'global: {scrape_interval: 1s, evaluation_interval: 1s}',
        `rule_files: ['${alertsPath}']`,
        'scrape_configs:',
        '  - job_name: reservo-ws',
        `    static_configs: [{targets: ['127.0.0.1:${service.port}']}]`,
        '',
    ].join('\n'));
    const port = await freePort();
    prometheus = new ManagedProcess('prometheus', process.env.PROMETHEUS_EXE || 'prometheus', [
        `--config.file=${config}`, `--storage.tsdb.path=${path.join(scratch, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn',
    ], {});
    prometheusUrl = `http://127.0.0.1:${port}`;
    await prometheus.waitUntil(async () => (await httpGet(`${prometheusUrl}/-/ready`))?.status === 200,
                               'GET /-/ready 200');
    await waitUntil(async () => (await query('count_over_time(up{job="reservo-ws"}[1m])'))
        .result[0]?.value[1] >= 3, 'three scrapes of reservo-ws', WAIT_MS);
}

async function query(expr) {
    const response = await httpGet(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
    assert.ok(response, `Prometheus did not answer the query ${expr}`);
    const body = JSON.parse(response.body);
    assert.equal(body.status, 'success', `${expr}: ${body.error}`);
    return body.data;
}

describe('the dashboard and alerts against a live reservo-ws', { timeout: SUITE_MS }, () => {
    const withServiceLogs = (fn) => withLogs(() => [service, prometheus], fn);

    test('every metric the dashboard and the alerts name is on /metrics', { timeout: TEST_MS },
         withServiceLogs(async () => {
        const page = await httpGet(`${service.url}/metrics`);
        assert.equal(page?.status, 200);
        const exposed = new Set([...exposedSeries(page.body).keys()].map((s) => s.replace(/\{.*/, '')));
        const queried = new Set(dashboardQueries().flatMap(({ expr }) => [...metricNames(expr)]));
        for (const name of REQUIRED)
            assert.ok(queried.has(name), `no dashboard panel queries ${name}`);
        const alerting = metricNames(readFileSync(alertsPath, 'utf8'));
        for (const [what, names] of [['the dashboard', queried], ['alerts.yml', alerting]])
            for (const name of names)
                assert.ok(exposed.has(name), `${what} queries ${name}, which /metrics does not have`);
    }));

    test('the new gauges tell MAX_CONNECTIONS and readiness', { timeout: TEST_MS },
         withServiceLogs(async () => {
        const series = exposedSeries((await httpGet(`${service.url}/metrics`)).body);
        assert.equal(series.get('reservo_max_connections'), MAX_CONNECTIONS);
        assert.equal(series.get('reservo_ready'), 1);
    }));

    test('Prometheus answers every dashboard query with data', { timeout: TEST_MS },
         withServiceLogs(async (t) => {
        await startPrometheus();
        const queries = dashboardQueries().filter(({ panel }) => !panel.startsWith('variable'));
        for (const { panel, expr } of queries) {
            const data = await query(asGrafanaSends(expr));
            assert.ok(data.result.length > 0, `panel "${panel}": no data for ${expr}`);
        }
        const instances = await httpGet(`${prometheusUrl}/api/v1/label/instance/values?match[]=reservo_connections`);
        assert.deepEqual(JSON.parse(instances.body).data, [`127.0.0.1:${service.port}`]);
        t.diagnostic(`${queries.length} dashboard queries answered`);
    }));

    test('Prometheus evaluates every alerting rule without error, none firing', { timeout: TEST_MS },
         withServiceLogs(async () => {
        if (!prometheus)
            await startPrometheus();
        const rules = await waitUntil(async () => {
            const body = JSON.parse((await httpGet(`${prometheusUrl}/api/v1/rules`)).body);
            const all = body.data.groups.flatMap((g) => g.rules);
            return all.length > 0 && all.every((r) => r.lastEvaluation > '1970-01-02') && all;
        }, 'every rule evaluated');
        assert.equal(rules.length, 9);
        for (const rule of rules) {
            assert.equal(rule.health, 'ok', `${rule.name}: ${rule.lastError}`);
            assert.equal(rule.state, 'inactive', `${rule.name} is ${rule.state} on a healthy service`);
        }
    }));
});
