import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StructRegistry } from '../../src/core/payload/index';
import { headerNotFound, NO_STRUCT_TYPES, readStructSettings, structTypeForTopic, unknownMappedTypes } from '../../src/core/payload/cstruct/settings';
import { readPublishArgument, validateFields } from '../../src/core/publish/publishArgument';
import { validateDraft } from '../../src/core/publish/publishRequest';
import { CORPUS_HEADERS, corpusFile } from '../helpers/cstructCorpus';

const { registry } = StructRegistry.fromFiles(CORPUS_HEADERS.map(corpusFile));

describe('publishing C structs', () => {
  test('a draft in format cstruct is packed from JSON; the struct type and the values are checked', () => {
    const built = validateDraft({ topic: 'devices/n7/telemetry', payload: '{"seq": 7, "battery": {"mv": 3700}}', format: 'cstruct', structType: 'telemetry_t', qos: 1, retain: false }, { structs: registry });
    assert.ok(!('problems' in built));
    assert.equal(built.payload.length, 62);
    assert.deepEqual([...built.payload.subarray(0, 4)], [7, 0, 0, 0]);
    assert.deepEqual(validateDraft({ topic: 't', payload: '{}', format: 'cstruct', qos: 0, retain: false }, { structs: registry }), {
      problems: [{ field: 'structType', message: 'No C struct type chosen: map this topic to a type in mqttWorkbench.structs.types, or pick one.' }],
    });
    assert.deepEqual(validateDraft({ topic: 't', payload: '{"battery":{"temp_c":300}}', format: 'cstruct', structType: 'telemetry_t', qos: 0, retain: false }, { structs: registry }), {
      problems: [{ field: 'payload', message: 'battery.temp_c: 300 does not fit int8_t.' }],
    });
  });

  test('command arguments carry structType; problems are named by path', () => {
    const { fields, problems } = readPublishArgument({ topic: 'devices/n7/telemetry', payload: '{"temp": 1}', format: 'cstruct', structType: 'battery_t' });
    assert.deepEqual(problems, []);
    const checked = validateFields(fields, 'publish', { structs: registry });
    assert.deepEqual(checked, { messages: ['publish.payload: battery_t has no field "temp" (fields: mv, temp_c, percent).'] });
  });
});

describe('the mqttWorkbench.structs setting', () => {
  test('files, topic types, defaults and per-type overrides are read; bad parts are named and left out', () => {
    const problems: string[] = [];
    const settings = readStructSettings({ files: ['fw/telemetry.h'], types: { 'devices/+/telemetry': 'telemetry_t', 'bad/#/x': 'a_t', 'ok/x': '' }, endianness: 'big', packing: 3, overrides: { legacy_t: { endianness: 'little', packing: 1 } } }, problems);
    assert.deepEqual(settings.files, ['fw/telemetry.h']);
    assert.deepEqual(settings.types, [['devices/+/telemetry', 'telemetry_t']]);
    assert.deepEqual(settings.defaults, { endianness: 'big' });
    assert.deepEqual([...settings.overrides], [['legacy_t', { endianness: 'little', packing: 1 }]]);
    assert.equal(structTypeForTopic(settings, 'devices/n7/telemetry'), 'telemetry_t');
    assert.equal(structTypeForTopic(settings, 'devices/n7/status'), undefined);
    assert.equal(problems.length, 3);
    assert.match(problems[0] ?? '', /^mqttWorkbench\.structs\.types: "bad\/#\/x": /);
    assert.equal(problems[1], 'mqttWorkbench.structs.types: "ok/x" must map to a C struct type name such as "telemetry_t".');
    assert.equal(problems[2], 'mqttWorkbench.structs.packing: must be one of 1, 2, 4, 8, 16, not 3');
  });

  test('a mapped type no header declares, a missing header and no types at all are named', () => {
    const settings = readStructSettings({ types: { 'devices/+/telemetry': 'telemetry_t', 'devices/+/old': 'telemetry_v1_t' } }, []);
    assert.deepEqual(unknownMappedTypes(settings, registry), ['mqttWorkbench.structs.types: "devices/+/old" maps to "telemetry_v1_t", which is not a struct in the headers.']);
    assert.equal(headerNotFound('fw/missing.h'), 'mqttWorkbench.structs.files: header not found: fw/missing.h');
    assert.equal(NO_STRUCT_TYPES, 'No C struct types are loaded: list your headers in the setting mqttWorkbench.structs (files).');
  });
});
