import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodePayload, detectCodec, encodePayload, getCodec, hexDump } from '../../src/core/payload/index';
import type { CodecId, DecodeResult, EncodeResult } from '../../src/core/payload/index';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

function okBytes(result: EncodeResult): Uint8Array {
  assert.ok(result.ok, result.ok ? '' : result.error);
  return result.bytes;
}

function okText(result: DecodeResult): string {
  assert.ok(result.ok, result.ok ? '' : result.error);
  return result.text;
}

/** Encodes `input` with a codec, decodes the bytes with the same codec and expects `shown`. */
function roundTrip(id: CodecId, input: string, shown: string): Uint8Array {
  const bytes = okBytes(encodePayload(input, id));
  assert.equal(okText(decodePayload(bytes, id)), shown);
  return bytes;
}

describe('text codec', () => {
  test('round trip of UTF-8 text, newlines and tabs kept', () => {
    const bytes = roundTrip('text', 'héllo\twörld ✓\nline 2', 'héllo\twörld ✓\nline 2');
    assert.equal(bytes.length, 24);
  });

  test('invalid bytes are shown as \\xNN and counted, control characters too', () => {
    const result = decodePayload(new Uint8Array([0x48, 0x69, 0xff, 0xc3, 0x28, 0x00, 0xe2, 0x82, 0xac]), 'text');
    assert.deepEqual(result, {
      ok: true,
      text: 'Hi\\xff\\xc3(\\x00€',
      language: 'text',
      notes: ['2 bytes are not valid UTF-8 (shown as \\xNN).', '1 control character is shown as \\xNN.'],
      codec: 'text',
    });
  });

  test('overlong encodings and surrogates are invalid, not decoded', () => {
    assert.equal(okText(decodePayload(new Uint8Array([0xc0, 0xaf, 0x41]), 'text')), '\\xc0\\xafA');
    assert.equal(okText(decodePayload(new Uint8Array([0xed, 0xa0, 0x80]), 'text')), '\\xed\\xa0\\x80');
  });

  test('a preview is cut at maxBytes and says so; a multi-byte character cut in half is not called invalid', () => {
    const result = decodePayload(utf8('ééé'), 'text', { maxBytes: 3 });
    assert.deepEqual(result, { ok: true, text: 'é', language: 'text', notes: ['Showing the first 3 of 6 bytes.'], truncated: true, codec: 'text' });
  });
});

describe('json codec', () => {
  test('decode pretty prints with 2 spaces; encode minifies or pretty prints', () => {
    const bytes = roundTrip('json', ' {"a": [1, 2.5, "x"], "b": {"c": null}} ', '{\n  "a": [\n    1,\n    2.5,\n    "x"\n  ],\n  "b": {\n    "c": null\n  }\n}');
    assert.equal(new TextDecoder().decode(bytes), '{"a":[1,2.5,"x"],"b":{"c":null}}');
    assert.equal(new TextDecoder().decode(okBytes(encodePayload('[1,{"a":2}]', 'json', { jsonStyle: 'pretty' }))), '[\n  1,\n  {\n    "a": 2\n  }\n]');
  });

  test('encode errors give line, column and byte offset', () => {
    assert.deepEqual(encodePayload('{\n  "a": 1,\n  "b" 2\n}', 'json'), {
      ok: false,
      error: "Not valid JSON at line 3, column 7 (byte 18): expected ':' after a property name, found '2'",
      line: 3,
      column: 7,
      offset: 18,
    });
    assert.deepEqual(encodePayload('{\n  "a": 1,\n  "é": [1,\n    2 3]}', 'json'), {
      ok: false,
      error: "Not valid JSON at line 4, column 7 (byte 30): expected ',' or ']' after an array element, found '3'",
      line: 4,
      column: 7,
      offset: 30,
    });
    const cases: [string, string][] = [
      ['', 'Not valid JSON at line 1, column 1 (byte 0): unexpected end of input (expected a value)'],
      ['{"a":1,}', "Not valid JSON at line 1, column 8 (byte 7): trailing comma before '}'"],
      ['[1,]', "Not valid JSON at line 1, column 4 (byte 3): trailing comma before ']'"],
      ["{'a':1}", "Not valid JSON at line 1, column 2 (byte 1): expected a property name in double quotes, found '''"],
      ['"abc', 'Not valid JSON at line 1, column 5 (byte 4): unexpected end of input (unterminated string)'],
      ['"a\tb"', 'Not valid JSON at line 1, column 3 (byte 2): control character U+0009 must be escaped in a string'],
      ['[01]', "Not valid JSON at line 1, column 3 (byte 2): invalid number, found '1'"],
      ['{} x', "Not valid JSON at line 1, column 4 (byte 3): unexpected text after the JSON value, found 'x'"],
      ['[tru]', "Not valid JSON at line 1, column 2 (byte 1): expected a value, found 't'"],
      ['"\\x"', "Not valid JSON at line 1, column 2 (byte 1): invalid escape '\\x' in a string"],
    ];
    for (const [input, error] of cases) {
      const result = encodePayload(input, 'json');
      assert.equal(result.ok ? 'ok' : result.error, error, input);
    }
  });

  test('decode errors give the byte offset, also for invalid UTF-8', () => {
    const result = decodePayload(utf8('{\n  "a": 1,\n  "b": tru\n}'), 'json');
    assert.deepEqual(result, { ok: false, error: "Not valid JSON at line 3, column 8 (byte 19): expected a value, found 't'", offset: 19, codec: 'json' });
    assert.deepEqual(decodePayload(new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d]), 'json'), { ok: false, error: 'Not valid JSON at byte 2: not valid UTF-8', offset: 2, codec: 'json' });
  });

  test('a UTF-8 byte order mark is skipped and counted in the offset', () => {
    assert.equal(okText(decodePayload(new Uint8Array([0xef, 0xbb, 0xbf, 0x5b, 0x31, 0x5d]), 'json')), '[\n  1\n]');
    const result = decodePayload(new Uint8Array([0xef, 0xbb, 0xbf, 0x5b, 0x31, 0x2c]), 'json');
    assert.equal(result.ok ? '' : result.offset, 6);
  });

  test('deep nesting is checked without overflowing the stack', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(99_999);
    const result = encodePayload(deep, 'json');
    assert.equal(result.ok ? '' : result.error, "Not valid JSON at line 1, column 200000 (byte 199999): unexpected end of input (expected ',' or ']' after an array element)");
  });
});

describe('hex codec', () => {
  test('dump: offset, 16 bytes a line, ASCII column aligned, dots for unprintable bytes', () => {
    assert.equal(hexDump(utf8('Hello')), '00000000  48 65 6c 6c 6f  |Hello|');
    const bytes = new Uint8Array(20).map((_, i) => (i === 3 ? 0x41 : i));
    assert.equal(
      okText(decodePayload(bytes, 'hex')),
      '00000000  00 01 02 41 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f  |...A............|\n' +
        '00000010  10 11 12 13                                      |....|',
    );
    assert.deepEqual(decodePayload(new Uint8Array(0), 'hex'), { ok: true, text: '', language: 'hex', notes: ['Empty payload.'], codec: 'hex' });
  });

  test('round trip accepts spaces, newlines, 0x prefixes, colons and commas', () => {
    const bytes = roundTrip('hex', '0x48 65,6C:6c\n  0X6f 2021', '00000000  48 65 6c 6c 6f 20 21  |Hello !|');
    assert.deepEqual(bytes, new Uint8Array([0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x20, 0x21]));
  });

  test('errors name the first bad character', () => {
    assert.deepEqual(encodePayload('48 65\n6c zz', 'hex'), { ok: false, error: "Not valid hex at line 2, column 4: 'z' is not a hex digit", line: 2, column: 4, offset: 9 });
    assert.deepEqual(encodePayload('48 6 6c', 'hex'), { ok: false, error: 'Not valid hex at line 1, column 4: "6" has an odd number of hex digits', line: 1, column: 4, offset: 3 });
    assert.deepEqual(encodePayload('0x', 'hex'), { ok: false, error: "Not valid hex at line 1, column 1: '0x' is not followed by hex digits", line: 1, column: 1, offset: 0 });
  });

  test('a large payload preview is cut and says so', () => {
    const result = decodePayload(new Uint8Array(1_048_576), 'hex', { maxBytes: 32 });
    assert.ok(result.ok);
    assert.equal(result.text.split('\n').length, 2);
    assert.deepEqual(result.notes, ['Showing the first 32 of 1,048,576 bytes.']);
    assert.equal(result.truncated, true);
  });
});

describe('base64 codec', () => {
  test('round trip, including lengths 1 and 2 mod 3, whitespace and missing padding', () => {
    roundTrip('base64', 'SGVsbG8=', 'SGVsbG8=');
    roundTrip('base64', 'SGVs\nbG8h', 'SGVsbG8h');
    roundTrip('base64', 'SGVsbA', 'SGVsbA==');
    assert.deepEqual(okBytes(encodePayload('-_8', 'base64')), new Uint8Array([0xfb, 0xff]));
    assert.deepEqual(okBytes(encodePayload('', 'base64')), new Uint8Array(0));
  });

  test('errors name the position', () => {
    assert.deepEqual(encodePayload('SGVs\nbG*8', 'base64'), { ok: false, error: "Not valid base64 at line 2, column 3: '*' is not a base64 character", line: 2, column: 3, offset: 7 });
    assert.deepEqual(encodePayload('SGVsb', 'base64'), {
      ok: false,
      error: 'Not valid base64 at line 1, column 5: a single character cannot end base64 (length is one more than a multiple of 4)',
      line: 1,
      column: 5,
      offset: 4,
    });
    assert.deepEqual(encodePayload('SGVsbA=', 'base64'), { ok: false, error: "Not valid base64 at line 1, column 7: wrong '=' padding (2 expected)", line: 1, column: 7, offset: 6 });
    assert.deepEqual(encodePayload('SG==VsbA', 'base64'), { ok: false, error: "Not valid base64 at line 1, column 5: characters after '=' padding", line: 1, column: 5, offset: 4 });
  });

  test('a cut preview stays on a 3-byte boundary', () => {
    assert.deepEqual(decodePayload(utf8('Hello world'), 'base64', { maxBytes: 7 }), { ok: true, text: 'SGVsbG8g', language: 'text', notes: ['Showing the first 6 of 11 bytes.'], truncated: true, codec: 'base64' });
  });
});

describe('cbor codec', () => {
  test('round trip from JSON', () => {
    const json = '{\n  "t": 21.5,\n  "ok": true,\n  "list": [\n    1,\n    -2,\n    "x",\n    null\n  ],\n  "empty": {}\n}';
    const bytes = roundTrip('cbor', json, json);
    assert.equal(bytes[0], 0xa4);
  });

  test('maps with non-string keys, byte strings, tags, dates and undefined in diagnostic notation', () => {
    // {1: h'0102', "d": 1(0), "t": 42("x"), "u": undefined, "f": NaN}
    const bytes = new Uint8Array([0xa5, 0x01, 0x42, 0x01, 0x02, 0x61, 0x64, 0xc1, 0x00, 0x61, 0x74, 0xd8, 0x2a, 0x61, 0x78, 0x61, 0x75, 0xf7, 0x61, 0x66, 0xf9, 0x7e, 0x00]);
    const result = decodePayload(bytes, 'cbor');
    assert.ok(result.ok);
    assert.equal(result.text, '{\n  1: h\'0102\',\n  "d": 0("1970-01-01T00:00:00.000Z"),\n  "t": 42("x"),\n  "u": undefined,\n  "f": NaN\n}');
    assert.deepEqual(result.notes, ["Shown in CBOR diagnostic notation: h'..' is a byte string, N(..) a tagged value."]);
  });

  test('decode errors give the byte position', () => {
    // 13 bytes: {"name": "abcdefgh", "v": ...} cut after byte 12
    const full = okBytes(encodePayload('{"name":"abcdefgh","v":[1,2]}', 'cbor'));
    assert.deepEqual(decodePayload(full.subarray(0, 17), 'cbor'), { ok: false, error: 'Not valid CBOR at byte 17: unexpected end of input', offset: 17, codec: 'cbor' });
    assert.deepEqual(decodePayload(new Uint8Array([0x82, 0x01, 0x1c]), 'cbor'), { ok: false, error: 'Not valid CBOR at byte 2: reserved additional information 28 in initial byte 0x1c', offset: 2, codec: 'cbor' });
    assert.deepEqual(decodePayload(new Uint8Array([0x01, 0x02, 0x03]), 'cbor'), { ok: false, error: 'Not valid CBOR at byte 1: 2 bytes left after the first item', offset: 1, codec: 'cbor' });
    assert.deepEqual(decodePayload(new Uint8Array([0x81, 0xff]), 'cbor'), { ok: false, error: 'Not valid CBOR at byte 1: break (0xff) outside an indefinite-length item', offset: 1, codec: 'cbor' });
    assert.deepEqual(decodePayload(new Uint8Array([0xbf, 0x61, 0x61, 0xff]), 'cbor'), { ok: false, error: 'Not valid CBOR at byte 3: indefinite-length map ends after a key without its value', offset: 3, codec: 'cbor' });
    assert.deepEqual(decodePayload(new Uint8Array(0), 'cbor'), { ok: false, error: 'Not valid CBOR at byte 0: empty payload', offset: 0, codec: 'cbor' });
  });

  test('indefinite-length maps and arrays decode; indefinite strings are refused with a reason, not called invalid', () => {
    // {_ "a": [_ 1, 2], "s": "c"}
    const bytes = new Uint8Array([0xbf, 0x61, 0x61, 0x9f, 0x01, 0x02, 0xff, 0x61, 0x73, 0x61, 0x63, 0xff]);
    assert.equal(okText(decodePayload(bytes, 'cbor')), '{\n  "a": [\n    1,\n    2\n  ],\n  "s": "c"\n}');
    // {_ "s": (_ "ab", "c")}: well-formed, but cbor-x does not decode indefinite-length strings.
    const chunked = new Uint8Array([0xbf, 0x61, 0x73, 0x7f, 0x62, 0x61, 0x62, 0x61, 0x63, 0xff, 0xff]);
    assert.deepEqual(decodePayload(chunked, 'cbor'), {
      ok: false,
      error: 'This CBOR uses indefinite-length byte or text strings, which are valid but not supported by the CBOR decoder (cbor-x); view it as Hex.',
      codec: 'cbor',
    });
    assert.deepEqual(decodePayload(new Uint8Array([0x7f, 0x41, 0x00, 0xff]), 'cbor'), {
      ok: false,
      error: 'Not valid CBOR at byte 1: a chunk of an indefinite-length text string must be a definite-length string of the same type',
      offset: 1,
      codec: 'cbor',
    });
  });
});

describe('msgpack codec', () => {
  test('round trip from JSON', () => {
    const json = '{\n  "t": 21.5,\n  "n": -300,\n  "s": "héllo",\n  "a": [\n    true,\n    null\n  ]\n}';
    const bytes = roundTrip('msgpack', json, json);
    assert.equal(bytes[0], 0x84);
  });

  test('binary, extensions, 64-bit integers and timestamps are shown', () => {
    // {"b": bin h'0102', "e": fixext1 type 5 h'ff', "big": uint64 2^64-1, "at": timestamp32 0}
    const bytes = new Uint8Array([
      0x84, 0xa1, 0x62, 0xc4, 0x02, 0x01, 0x02, 0xa1, 0x65, 0xd4, 0x05, 0xff, 0xa3, 0x62, 0x69, 0x67, 0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xa2, 0x61, 0x74, 0xd6, 0xff, 0x00, 0x00, 0x00, 0x00,
    ]);
    assert.equal(okText(decodePayload(bytes, 'msgpack')), '{\n  "b": h\'0102\',\n  "e": ext(5, h\'ff\'),\n  "big": 18446744073709551615,\n  "at": timestamp("1970-01-01T00:00:00.000Z")\n}');
  });

  test('decode errors give the byte position', () => {
    assert.deepEqual(decodePayload(new Uint8Array([0x82, 0xa1, 0x61, 0x01, 0xa1]), 'msgpack'), { ok: false, error: 'Not valid MessagePack at byte 5: unexpected end of input', offset: 5, codec: 'msgpack' });
    assert.deepEqual(decodePayload(new Uint8Array([0x92, 0x01, 0xc1]), 'msgpack'), { ok: false, error: 'Not valid MessagePack at byte 2: byte 0xc1 is never used in MessagePack', offset: 2, codec: 'msgpack' });
    assert.deepEqual(decodePayload(new Uint8Array([0x91, 0x01, 0x02]), 'msgpack'), { ok: false, error: 'Not valid MessagePack at byte 2: 1 byte left after the first object', offset: 2, codec: 'msgpack' });
  });
});

describe('registry and detection', () => {
  test('getCodec knows every id and nothing else', () => {
    for (const id of ['text', 'json', 'hex', 'base64', 'cbor', 'msgpack', 'protobuf', 'sparkplug']) assert.equal(getCodec(id)?.id, id);
    assert.equal(getCodec('yaml'), undefined);
  });

  test('detection table', () => {
    let seed = 7;
    const random = new Uint8Array(64).map(() => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed >>> 24;
    });
    const cborMap = okBytes(encodePayload('{"temp":21.5,"unit":"C"}', 'cbor'));
    const msgpackMap = okBytes(encodePayload('{"temp":21.5,"unit":"C"}', 'msgpack'));
    const table: [string, Uint8Array, CodecId, Record<string, string>?][] = [
      ['JSON object', utf8('{"temp": 21.5}'), 'json'],
      ['JSON number', utf8('21.5'), 'json'],
      ['plain text', utf8('hello world'), 'text'],
      ['text starting like a CBOR string/int', utf8('abc, 123'), 'text'],
      ['empty payload', new Uint8Array(0), 'text'],
      ['CBOR map', cborMap, 'cbor'],
      ['MessagePack map', msgpackMap, 'msgpack'],
      ['random bytes', random, 'hex'],
      ['binary with controls', new Uint8Array([0x00, 0x01, 0x02, 0x03]), 'hex'],
      ['a CBOR integer is not called CBOR', new Uint8Array([0x19, 0x01, 0xf4]), 'hex'],
      ['content type wins when it decodes', utf8('{"a":1}'), 'text', { contentType: 'text/plain; charset=utf-8' }],
      ['content type ignored when it does not decode', utf8('hello'), 'text', { contentType: 'application/json' }],
      ['spBv1.0 topic', okBytes(encodePayload('{"seq":1}', 'sparkplug')), 'sparkplug', { topic: 'spBv1.0/plant/NDATA/edge1' }],
      ['spBv1.0 STATE is JSON', utf8('{"online":true,"timestamp":1}'), 'json', { topic: 'spBv1.0/STATE/host1' }],
      ['protobuf topic mapping', random, 'protobuf', { topic: 'factory/line1' }],
    ];
    for (const [name, bytes, expected, extra] of table) {
      const context = extra?.topic === 'factory/line1' ? { topic: extra.topic, protoTypeForTopic: () => 'acme.sensors.Reading' } : { ...extra };
      assert.equal(detectCodec(bytes, context), expected, name);
      assert.equal(decodePayload(bytes, 'auto', context).codec, expected, name);
    }
  });

  test('plain texts are never reported as CBOR or MessagePack', () => {
    const samples = ['hello', 'OK', 'on', 'off', '21.5 C', 'ÿé', 'Привет', '✓ done', 'a\nb', '{not json', '[1, 2'];
    for (const sample of samples) {
      assert.equal(getCodec('cbor')?.detect?.(utf8(sample)), 0, sample);
      assert.equal(getCodec('msgpack')?.detect?.(utf8(sample)), 0, sample);
    }
  });

  test('unknown formats are refused with a sentence', () => {
    assert.deepEqual(decodePayload(utf8('x'), 'yaml' as CodecId), { ok: false, error: 'Unknown payload format "yaml".', codec: 'hex' });
    assert.equal(encodePayload('x', 'yaml' as CodecId).ok, false);
  });
});
