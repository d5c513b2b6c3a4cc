// validateDraft and the publish argument object: every bad input gives its exact sentence on its field, and a
// good draft becomes exactly the bytes and options a Session sends.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ProtoRegistry } from '../../src/core/payload';
import { readPublishArgument, validateFields } from '../../src/core/publish/publishArgument';
import { validateDraft, type PublishDraft } from '../../src/core/publish/publishRequest';
import { parseSavedMessages } from '../../src/core/publish/savedMessages';

const base: PublishDraft = { topic: 'devices/bench-1/cmd', payload: '', format: 'text', qos: 0, retain: false };
const proto = ProtoRegistry.fromFiles([{ fileName: 'sensors.proto', source: readFileSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'sensors.proto'), 'utf8') }]).registry;

function problemsOf(draft: Partial<PublishDraft>, context = {}): Array<[string, string]> {
  const result = validateDraft({ ...base, ...draft }, context);
  assert.ok('problems' in result, `expected problems for ${JSON.stringify(draft).slice(0, 80)}`);
  return result.problems.map((p) => [p.field, p.message]);
}

describe('validateDraft: each bad input, its field and its exact message', () => {
  const cases: Array<[string, Partial<PublishDraft>, string, string]> = [
    ['topic with +', { topic: 'a/+/c' }, 'topic', 'Topic must not contain wildcards (+ or #); wildcards are only for subscriptions.'],
    ['topic with #', { topic: 'a/#' }, 'topic', 'Topic must not contain wildcards (+ or #); wildcards are only for subscriptions.'],
    ['empty topic', { topic: '' }, 'topic', 'Topic must not be empty.'],
    ['topic with NUL', { topic: 'a\u0000b' }, 'topic', 'Topic must not contain the NUL character (U+0000).'],
    ['topic of 65,536 bytes', { topic: 'é'.repeat(32_768) }, 'topic', 'Topic is 65,536 bytes long; MQTT allows at most 65,535 bytes of UTF-8.'],
    ['invalid JSON', { format: 'json', payload: '{"a": 1,}' }, 'payload', "Not valid JSON at line 1, column 9 (byte 8): trailing comma before '}'"],
    ['invalid JSON on line 2', { format: 'json', payload: '{\n  "a" 1\n}' }, 'payload', "Not valid JSON at line 2, column 7 (byte 8): expected ':' after a property name, found '1'"],
    ['bad hex', { format: 'hex', payload: '01zz' }, 'payload', "Not valid hex at line 1, column 3: 'z' is not a hex digit"],
    ['odd hex', { format: 'hex', payload: '0x1' }, 'payload', 'Not valid hex at line 1, column 1: "0x1" has an odd number of hex digits'],
    ['bad base64', { format: 'base64', payload: 'ab$c' }, 'payload', "Not valid base64 at line 1, column 3: '$' is not a base64 character"],
    ['CBOR from invalid JSON', { format: 'cbor', payload: '{x}' }, 'payload', "Not valid JSON at line 1, column 2 (byte 1): expected a property name in double quotes, found 'x'"],
    ['MessagePack from invalid JSON', { format: 'msgpack', payload: '[1,' }, 'payload', 'Not valid JSON at line 1, column 4 (byte 3): unexpected end of input (expected a value)'],
    ['protobuf without a type', { format: 'protobuf', payload: '{}' }, 'protobufType', 'Choose the protobuf message type to encode, e.g. "acme.sensors.Reading".'],
    ['protobuf with an unknown type', { format: 'protobuf', payload: '{}', protobufType: 'acme.sensors.Nope' }, 'protobufType', 'Protobuf type "acme.sensors.Nope" is not defined in mqttWorkbench.protobuf.files.'],
    ['negative expiry', { properties: { messageExpiryInterval: -1 } }, 'properties.messageExpiryInterval', 'Message expiry must be a whole number of seconds from 0 to 4,294,967,295, not -1.'],
    ['expiry typed as words', { properties: { messageExpiryInterval: 'ten' } }, 'properties.messageExpiryInterval', 'Message expiry must be a whole number of seconds from 0 to 4,294,967,295, not "ten".'],
    ['user property without a name', { properties: { userProperties: [['site', 'a'], ['', 'b']] } }, 'properties.userProperties[1].key', 'User property 2 needs a name.'],
    ['user property value with NUL', { properties: { userProperties: [['site', 'a\u0000']] } }, 'properties.userProperties[0].value', 'The value of user property 1 must not contain the NUL character (U+0000).'],
    ['topic alias 0', { properties: { topicAlias: 0 } }, 'properties.topicAlias', 'Topic alias must be a whole number from 1 to 65,535, not 0.'],
    ['topic alias 65,536', { properties: { topicAlias: 65_536 } }, 'properties.topicAlias', 'Topic alias must be a whole number from 1 to 65,535, not 65536.'],
    ['response topic with a wildcard', { properties: { responseTopic: 'replies/#' } }, 'properties.responseTopic', 'Response topic must not contain wildcards (+ or #); wildcards are only for subscriptions.'],
    ['correlation data in bad hex', { properties: { correlationData: '0g', correlationDataEncoding: 'hex' } }, 'properties.correlationData', "Not valid hex at line 1, column 2: 'g' is not a hex digit"],
    ['content type with NUL', { properties: { contentType: 'text/\u0000' } }, 'properties.contentType', 'Content type must not contain the NUL character (U+0000).'],
    ['UTF-8 indicator on binary', { format: 'hex', payload: 'c3 28', properties: { payloadFormatIndicator: true } }, 'properties.payloadFormatIndicator', 'The payload is not valid UTF-8 (at byte 0), but the payload format indicator says it is text.'],
    ['unknown format', { format: 'xml' as PublishDraft['format'] }, 'format', 'Unknown payload format "xml"; use one of text, json, hex, base64, cbor, msgpack, protobuf, cstruct.'],
    ['QoS 3', { qos: 3 as PublishDraft['qos'] }, 'qos', 'QoS must be 0, 1 or 2, not 3.'],
  ];
  for (const [label, draft, field, message] of cases) {
    test(label, () => assert.deepEqual(problemsOf(draft, { proto }), [[field, message]]));
  }

  test('protobuf with no .proto files loaded says so', () => {
    assert.deepEqual(problemsOf({ format: 'protobuf', payload: '{}', protobufType: 'acme.sensors.Reading' }), [
      ['protobufType', 'Protobuf type "acme.sensors.Reading" is not defined: no .proto files are loaded (setting mqttWorkbench.protobuf.files).'],
    ]);
  });

  test('properties on an MQTT 3.1.1 connection are refused', () => {
    assert.deepEqual(problemsOf({ properties: { contentType: 'text/plain' } }, { protocolVersion: 4 }), [
      ['properties', 'MQTT 5 properties cannot be sent on this connection: it uses MQTT 3.1.1 or 3.1. Set protocolVersion to "5" or remove the properties.'],
    ]);
  });

  test('a payload larger than the broker accepts', () => {
    assert.deepEqual(problemsOf({ payload: 'x'.repeat(2000) }, { maximumPacketSize: 1024 }), [['payload', 'The message is about 2,035 bytes; the broker accepts at most 1,024 bytes per packet.']]);
  });

  test('several problems are all reported, each on its field', () => {
    const fields = problemsOf({ topic: '', format: 'json', payload: '{', properties: { topicAlias: 0, messageExpiryInterval: 1.5 } }).map(([f]) => f);
    assert.deepEqual(fields, ['topic', 'payload', 'properties.messageExpiryInterval', 'properties.topicAlias']);
  });
});

describe('validateDraft: valid drafts', () => {
  test('JSON is checked but sent as typed; properties are converted', () => {
    const result = validateDraft({
      ...base,
      format: 'json',
      payload: '{ "reboot": true }',
      qos: 1,
      retain: true,
      properties: { contentType: 'application/json', messageExpiryInterval: '60', correlationData: '01ff', correlationDataEncoding: 'hex', userProperties: [['site', 'a'], ['site', 'b']], topicAlias: '3', responseTopic: '', payloadFormatIndicator: true },
    });
    assert.ok(!('problems' in result));
    assert.equal(Buffer.from(result.payload).toString(), '{ "reboot": true }');
    assert.deepEqual(result.options.qos, 1);
    assert.equal(result.options.retain, true);
    assert.deepEqual({ ...result.options.properties, correlationData: [...(result.options.properties?.correlationData ?? [])] }, {
      contentType: 'application/json',
      messageExpiryInterval: 60,
      correlationData: [1, 255],
      userProperties: [['site', 'a'], ['site', 'b']],
      topicAlias: 3,
      payloadFormatIndicator: true,
    });
  });

  test('each format encodes through its codec', () => {
    const bytes = (draft: Partial<PublishDraft>) => {
      const result = validateDraft({ ...base, ...draft }, { proto });
      assert.ok(!('problems' in result), JSON.stringify(result));
      return Buffer.from(result.payload).toString('hex');
    };
    assert.equal(bytes({ format: 'hex', payload: '0x01 02:ff' }), '0102ff');
    assert.equal(bytes({ format: 'base64', payload: 'AQL/' }), '0102ff');
    assert.equal(bytes({ format: 'cbor', payload: '{"a":1}' }), 'a1616101');
    assert.equal(bytes({ format: 'msgpack', payload: '{"a":1}' }), '81a16101');
    assert.equal(bytes({ format: 'text', payload: 'é' }), 'c3a9');
    assert.ok(bytes({ format: 'protobuf', payload: '{"sensor":"t1","value":21.5}', protobufType: 'acme.sensors.Reading' }).length > 0);
    assert.equal(bytes({ bytes: new Uint8Array([0, 1, 2]), format: 'json', payload: 'ignored' }), '000102');
  });
});

describe('publish argument objects', () => {
  const problems = (value: unknown) => {
    const read = readPublishArgument(value);
    if (read.problems.length > 0) return read.problems;
    const checked = validateFields(read.fields, 'publish', {});
    return 'messages' in checked ? checked.messages : [];
  };

  test('wrong types, unknown fields and bad values are named by path', () => {
    assert.deepEqual(problems({ topic: 5 }), ['publish.topic: must be a string, not the number 5']);
    assert.deepEqual(problems({ topic: 'a', qos: '1' }), ['publish.qos: must be one of 0, 1, 2, not "1"']);
    assert.deepEqual(problems({ topic: 'a', formt: 'json' }), ['publish.formt: unknown field (did you mean "format"?)']);
    assert.deepEqual(problems({ topic: 'a', format: 'xml' }), ['publish.format: must be one of "text", "json", "hex", "base64", "cbor", "msgpack", "protobuf", "cstruct", not "xml"']);
    assert.deepEqual(problems({ topic: 'a', format: 'json', payload: '{"a":}' }), ["publish.payload: Not valid JSON at line 1, column 6 (byte 5): expected a value, found '}'"]);
    assert.deepEqual(problems({ topic: 'a', properties: { userProperties: { site: 1 } } }), ['publish.properties.userProperties.site: must be a string or an array of strings, not the number 1']);
    assert.deepEqual(problems({ topic: 'a', properties: { topicAlias: 0 } }), ['publish.properties.topicAlias: Topic alias must be a whole number from 1 to 65,535, not 0.']);
    assert.deepEqual(problems({ topic: 'a', payload: 'x', file: 'f.bin' }), ['publish.file: give either payload or file, not both']);
    assert.deepEqual(problems('a/b'), ['publish: must be an object, not the string "a/b"']);
  });

  test('user properties as an object or as pairs', () => {
    const read = readPublishArgument({ topic: 'a', properties: { userProperties: { site: ['a', 'b'], fw: '1' } } });
    assert.deepEqual(read.fields.properties?.userProperties, [['site', 'a'], ['site', 'b'], ['fw', '1']]);
    const pairs = readPublishArgument({ topic: 'a', properties: { userProperties: [['k', 'v'], ['k', 'w']] } });
    assert.deepEqual(pairs.fields.properties?.userProperties, [['k', 'v'], ['k', 'w']]);
  });
});

describe('saved messages setting', () => {
  test('valid and invalid entries, each with its problems', () => {
    const saved = parseSavedMessages([
      { name: 'Reboot', connection: 'Lab', topic: 'devices/1/cmd', payload: '{"reboot":true}', format: 'json', qos: 1 },
      { name: 'Broken JSON', topic: 'devices/1/cmd', payload: '{', format: 'json' },
      { name: 'Reboot', topic: 'x' },
      { topic: 'a/+' },
      { name: 'File', topic: 'fw/image', file: 'build/fw.bin', qos: 1, description: 'Firmware image' },
    ]);
    assert.deepEqual(saved.map((s) => [s.name, s.problems]), [
      ['Reboot', []],
      ['Broken JSON', ['savedMessages[1].payload: Not valid JSON at line 1, column 2 (byte 1): unexpected end of input (expected a property name in double quotes)']],
      ['Reboot', ['savedMessages[2].name: another saved message is already called "Reboot"']],
      ['savedMessages[3]', ['savedMessages[3].name: is required']],
      ['File', []],
    ]);
    assert.equal(saved[4].description, 'Firmware image');
    assert.deepEqual(parseSavedMessages({}), [{ index: 0, name: 'savedMessages', fields: {}, problems: ['savedMessages: must be an array of messages'] }]);
  });
});
