// The scenario validator: a usable scenario with defaults, and one precise sentence with its position for each
// mistake; the safety limits.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { overLimits } from '../../src/core/fleet/limits';
import { sampleScenario } from '../../src/core/fleet/sampleScenario';
import { readScenarioText } from '../../src/core/fleet/simulation';
import { parseScenario, plannedRate } from '../../src/core/fleet/scenario';

const base = { broker: 'Local', clients: 10, publish: [{ topic: 'devices/{clientId}/telemetry', rate: 2, payload: { t: '{temp}' }, generators: { temp: { type: 'float', min: 1, max: 2 } } }] };
const problems = (value: unknown): string[] => parseScenario(value).problems;

describe('scenario validator', () => {
  test('a valid scenario gets its defaults', () => {
    const { scenario } = parseScenario(base);
    assert.ok(scenario);
    assert.equal(scenario.clientId.source, 'sim-{index}');
    assert.equal(scenario.clean, true);
    assert.equal(scenario.publish[0].intervalMs, 500);
    assert.equal(scenario.publish[0].format, 'json');
    assert.equal(scenario.seed, 1);
    assert.equal(plannedRate(scenario), 20);
  });

  test('each mistake is named with its position', () => {
    const cases: Array<[unknown, string]> = [
      [{ ...base, publish: [{ ...base.publish[0], rate: 'fast' }] }, 'publish[0].rate: must be a positive number, not "fast"'],
      [{ ...base, publish: [{ ...base.publish[0], rate: -1 }] }, 'publish[0].rate: must be a positive number, not the number -1'],
      [{ ...base, publish: [{ ...base.publish[0], payload: { t: '{tmp}' } }] }, 'publish[0].payload: unknown variable {tmp}; known: {index}, {clientId}, {seq}, {timestamp}, {temp}'],
      [{ ...base, publish: [{ ...base.publish[0], topic: 'devices/{device}/t' }] }, 'publish[0].topic: unknown variable {device}; known: {index}, {clientId}'],
      [{ ...base, publish: [{ ...base.publish[0], qos: 3 }] }, 'publish[0].qos: must be one of 0, 1, 2, not 3'],
      [{ ...base, publish: [{ ...base.publish[0], interval: 100 }] }, 'publish[0].rate: set rate (messages per second) or interval (milliseconds), not both'],
      [{ ...base, publish: [{ ...base.publish[0], generators: { temp: { type: 'gauss' } } }] }, 'publish[0].generators.temp.type: must be one of "sequence", "int", "float", "sine", "sawtooth", "walk", "pick", "timestamp", "uuid", "index", not "gauss"'],
      [{ ...base, publish: [{ ...base.publish[0], generators: { temp: { type: 'int', min: 5, max: 1 } } }] }, 'publish[0].generators.temp.max: must be at least min (5)'],
      [{ ...base, publish: [{ ...base.publish[0], format: 'protobuf' }] }, 'publish[0].protobufType: is required with format "protobuf" (a fully qualified message type)'],
      [{ ...base, clients: 0 }, 'clients: must be between 1 and 1000000, not 0'],
      [{ ...base, clientId: 'device' }, 'clientId: must contain {index} so that every client has its own id'],
      [{ ...base, clientId: 'd-{clientId}' }, 'clientId: unknown variable {clientId}; known: {index}'],
      [{ ...base, broker: undefined }, 'broker: is required'],
      [{ ...base, duraton: 5 }, 'duraton: unknown field (did you mean "duration"?)'],
      [{ ...base, respond: [{ filter: 'a/#/b', payload: 'x' }] }, "respond[0].filter: '#' must be the last level of a filter, e.g. a/b/#."],
      [{ ...base, respond: [{ filter: 'cmd/{clientId}', payload: '{request.body}' }] }, 'respond[0].payload: unknown variable {request.body}; known: {index}, {clientId}, {timestamp}, {request.topic}, {request.payload}, {request.json.*}'],
      [{ broker: 'Local' }, 'publish: add a publish stream or a respond rule: the scenario does nothing'],
      [[], 'scenario: must be an object, not an array'],
    ];
    for (const [value, expected] of cases) assert.ok(problems(value).includes(expected), `${expected}\n  got: ${problems(value).join(' | ')}`);
  });

  test('a file that is not JSON says where', () => {
    assert.deepEqual(readScenarioText('{\n  "broker": "Local",\n}'), { problems: ["Not valid JSON at line 3, column 1 (byte 23): trailing comma before '}'"] });
  });

  test('a reply may use request fields; a JSON field path is accepted', () => {
    assert.deepEqual(problems({ broker: 'Local', respond: [{ filter: 'cmd/{clientId}/#', topic: 'reply/{request.json.device}', payload: { echo: '{request.payload}' }, delay: 10 }] }), []);
  });
});

describe('the sample and the JSON schema', () => {
  test('the scenario New Scenario writes is valid and is the one in the README', () => {
    assert.deepEqual(problems(sampleScenario('Local')), []);
    const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    assert.ok(readme.includes(JSON.stringify(sampleScenario('Local'), null, 2)), 'README shows the sample scenario');
  });

  test('every field the schema offers is one the validator knows', () => {
    const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'media', 'mqttsim.schema.json'), 'utf8')) as { properties: Record<string, unknown> };
    const known = Object.keys(schema.properties).filter((key) => !problems({ ...base, [key]: null }).some((p) => p.startsWith(`${key}: unknown field`)));
    assert.deepEqual(known, Object.keys(schema.properties));
  });
});

describe('safety limits', () => {
  const ceiling = { maxClients: 1000, maxMessagesPerSecond: 50_000 };
  test('within the limits nothing is said', () => {
    const { scenario } = parseScenario(base);
    assert.ok(scenario);
    assert.deepEqual(overLimits(scenario, ceiling), []);
  });

  test('more clients or messages than the ceiling, or than the scenario allows, are named', () => {
    const { scenario } = parseScenario({ ...base, clients: 30_000 });
    assert.ok(scenario);
    assert.deepEqual(overLimits(scenario, ceiling), [
      'The scenario starts 30000 clients, more than the safety limit of 1000 (mqttWorkbench.fleet.maxClients).',
      'The scenario publishes 60000 messages/s, more than the safety limit of 50000 (mqttWorkbench.fleet.maxMessagesPerSecond).',
    ]);
    const own = parseScenario({ ...base, limits: { maxClients: 5 } }).scenario;
    assert.ok(own);
    assert.deepEqual(overLimits(own, ceiling), ['The scenario starts 10 clients, more than the safety limit of 5 (limits in the scenario).']);
  });
});
