// Firmware stand-in: a C program compiled by gcc from the corpus header fills a telemetry_t and writes its bytes
// to a file; mosquitto_pub -f publishes them to a real mosquitto; a Session receives them and the C struct codec
// (through Auto and the topic mapping) decodes every field to the value the C program set.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { decodePayload, StructRegistry } from '../../src/core/payload/index';
import { startMosquitto, type Broker } from '../helpers/broker';
import { CORPUS_DIR, CORPUS_HEADERS, corpusFile } from '../helpers/cstructCorpus';
import { gccProblem, runC } from '../helpers/gcc';
import { closeSessions, collectMessages, makeSession } from '../helpers/sessions';

const FIRMWARE = `#include <stdio.h>
#include <string.h>
#include "telemetry.h"
int main(int argc, char **argv) {
  telemetry_t t; memset(&t, 0, sizeof t);
  t.seq = 90001; t.uptime_ms = 123456789012ULL;
  t.battery.mv = 3650; t.battery.temp_c = -20; t.battery.percent = 64;
  strcpy(t.name, "bench-node-3");
  t.temps[0] = -1; t.temps[1] = 2; t.temps[2] = -300; t.temps[3] = 32767;
  t.humidity = 55.25f; t.pressure = 998.125; t.online = true; t.mode = MODE_RUN;
  t.flags.charging = 0; t.flags.level = 7; t.flags.trend = -8; t.offset = -2147483647;
  FILE *f = fopen(argv[1], "wb");
  fwrite(&t, sizeof t, 1, f);
  fclose(f);
  printf("%zu", sizeof t);
  return 0;
}`;

const EXPECTED = {
  seq: 90001,
  uptime_ms: 123456789012,
  battery: { mv: 3650, temp_c: -20, percent: 64 },
  name: 'bench-node-3',
  temps: [-1, 2, -300, 32767],
  humidity: 55.25,
  pressure: 998.125,
  online: true,
  mode: 'MODE_RUN',
  flags: { charging: 0, level: 7, trend: -8 },
  offset: -2147483647,
};

afterEach(() => closeSessions());

describe('C struct from a C program through mosquitto', () => {
  let broker: Broker;
  let dir: string;
  before(async () => {
    broker = await startMosquitto();
    dir = mkdtempSync(join(tmpdir(), 'mqttwb-cstruct-'));
  });
  after(async () => {
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('every field decodes to the value the firmware set', async () => {
    const problem = gccProblem();
    assert.equal(problem, undefined, `this test builds a C program: ${problem}`);
    const file = join(dir, 'frame.bin');
    writeFileSync(file, '');
    assert.equal(runC(FIRMWARE, CORPUS_DIR, [file]), '62');
    const session = makeSession({ port: broker.port, subscriptions: [{ filter: 'devices/+/telemetry', qos: 1 }] });
    const inbox = collectMessages(session);
    await session.connect();
    const published = spawnSync('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(broker.port), '-q', '1', '-t', 'devices/bench-node-3/telemetry', '-f', file], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(published.status, 0, published.stderr);
    const [message] = await inbox.waitFor(1);
    assert.ok(message);
    const { registry, errors } = StructRegistry.fromFiles(CORPUS_HEADERS.map(corpusFile));
    assert.deepEqual(errors, []);
    const decoded = decodePayload(message.payload, 'auto', { topic: message.topic, structs: registry, structTypeForTopic: (topic) => (topic.endsWith('/telemetry') ? 'telemetry_t' : undefined) });
    assert.equal(decoded.codec, 'cstruct');
    assert.ok(decoded.ok, decoded.ok ? '' : decoded.error);
    assert.deepEqual(decoded.value, EXPECTED);
    assert.equal(decoded.notes, undefined);
  });
});
