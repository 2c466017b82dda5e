// SPDX-License-Identifier: MIT
// The environment file of the Debian package (deploy/systemd/reservo-ws.default) lists every
// setting that `reservo-ws --help` names, commented out, with the default --help states; and no
// setting that the service does not know.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const envFile = readFileSync(new URL('../../deploy/systemd/reservo-ws.default', import.meta.url), 'utf8');

// { VAR: default or null when --help gives a description instead of a value ("default: any") }.
function settingsFromHelp() {
    const exe = process.env.RESERVO_WS_EXE;
    assert.ok(exe, 'RESERVO_WS_EXE must name the reservo-ws binary (ctest sets it)');
    const help = execFileSync(exe, ['--help'], { encoding: 'utf8', timeout: 10_000 });
    const settings = {};
    for (const line of help.split('\n')) {
        const flag = /\(default(:)? ([^),]+)[^)]*\) \[([A-Z_]+)\]$/.exec(line);
        if (flag)
            settings[flag[3]] = flag[1] ? null : flag[2];
        const envOnly = /^ {2}([A-Z_]+)=\S+ .*\(default (\w+)/.exec(line);
        if (envOnly)
            settings[envOnly[1]] = envOnly[2];
    }
    assert.ok(Object.keys(settings).length >= 20, `--help parsed into too few settings:\n${help}`);
    return settings;
}

test('the environment file lists every setting of --help, commented out, with its default', () => {
    const settings = settingsFromHelp();
    const listed = {};
    for (const line of envFile.split('\n')) {
        assert.doesNotMatch(line, /^\s*[A-Z_]+=/, 'every setting stays commented out: the defaults live in the binary');
        const m = /^#([A-Z_]+)=(.*)$/.exec(line);
        if (m) {
            assert.ok(!(m[1] in listed), `${m[1]} is listed twice`);
            listed[m[1]] = m[2];
        }
    }
    for (const [name, value] of Object.entries(settings)) {
        assert.ok(name in listed, `${name} is missing from the environment file`);
        assert.equal(listed[name], value ?? '', `${name}: the file's default differs from --help's`);
    }
    for (const name of Object.keys(listed))
        assert.ok(name in settings, `${name} is in the environment file but reservo-ws --help does not name it`);
});
