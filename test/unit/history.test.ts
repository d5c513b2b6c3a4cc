import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { MqttMessage, PublishProperties } from '../../src/shared/mqttMessage';
import { DEFAULT_HISTORY_LIMITS, ENTRY_OVERHEAD_BYTES, MessageHistory, SEARCH_TEXT_BYTES, entryBytes, exportCsv, exportJsonLines, csvLines, jsonLines, validateHistoryFilter } from '../../src/core/history';
import type { HistoryEntry, HistoryView } from '../../src/core/history';
import { crc32 } from '../../src/core/history/snapshot';

const T0 = 1_700_000_000_000; // 2023-11-14T22:13:20.000Z
let seq = 0;

interface MsgOptions {
  payload?: string | Uint8Array;
  direction?: 'in' | 'out';
  qos?: 0 | 1 | 2;
  retain?: boolean;
  dup?: boolean;
  at?: number;
  properties?: PublishProperties;
}

function msg(topic: string, options: MsgOptions = {}): MqttMessage {
  const payload = options.payload ?? 'x';
  const m: MqttMessage = {
    topic,
    payload: typeof payload === 'string' ? new TextEncoder().encode(payload) : payload,
    qos: options.qos ?? 0,
    retain: options.retain ?? false,
    dup: options.dup ?? false,
    receivedAt: options.at ?? T0 + seq,
    seq: seq++,
    direction: options.direction ?? 'in',
  };
  if (options.properties !== undefined) m.properties = options.properties;
  return m;
}

const ids = (entries: HistoryEntry[]): number[] => entries.map((e) => e.id);
const all = (view: HistoryView): HistoryEntry[] => view.range(0, view.count);
const topicsOf = (view: HistoryView): string[] => all(view).map((e) => e.topic);

/** A history holding the given topics (payload = topic unless given), ids 1..n. */
function historyOf(topics: string[], limits = {}): MessageHistory {
  const h = new MessageHistory(limits);
  for (const t of topics) h.append(msg(t, { payload: t }));
  return h;
}

describe('MessageHistory limits and eviction', () => {
  test('defaults are 10,000 messages and 64 MB; the byte formula is payload + 2 x topic length + overhead', () => {
    assert.deepEqual(new MessageHistory().limits, { maxMessages: 10_000, maxBytes: 67_108_864 });
    assert.deepEqual({ ...DEFAULT_HISTORY_LIMITS }, { maxMessages: 10_000, maxBytes: 67_108_864 });
    assert.equal(entryBytes(msg('a/b', { payload: new Uint8Array(10) })), 10 + 6 + ENTRY_OVERHEAD_BYTES);
    assert.equal(entryBytes(msg('ü', { payload: 'é' })), 2 + 2 + ENTRY_OVERHEAD_BYTES); // UTF-8 payload bytes, UTF-16 topic units
    const withProps = msg('t', { payload: '', properties: { contentType: 'ab', correlationData: new Uint8Array(3), userProperties: [['k', 'vv']], messageExpiryInterval: 5 } });
    assert.equal(entryBytes(withProps), 2 + ENTRY_OVERHEAD_BYTES + 4 + 3 + (32 + 6) + 8);
  });

  test('eviction by count keeps the newest and counts the dropped', () => {
    const h = new MessageHistory({ maxMessages: 3 });
    for (let i = 0; i < 5; i++) assert.equal(h.append(msg(`t/${i}`)), i + 1);
    assert.equal(h.size, 3);
    assert.equal(h.droppedCount, 2);
    assert.equal(h.firstId, 3);
    assert.equal(h.lastId, 5);
    assert.deepEqual([...h.entries()].map((e) => e.topic), ['t/2', 't/3', 't/4']);
    assert.equal(h.get(2), undefined);
    assert.equal(h.get(3)?.topic, 't/2');
  });

  test('eviction by bytes keeps the byte size within maxBytes', () => {
    const one = entryBytes(msg('t', { payload: new Uint8Array(100) }));
    const h = new MessageHistory({ maxBytes: one * 4 + 10 });
    for (let i = 0; i < 10; i++) h.append(msg('t', { payload: new Uint8Array(100) }));
    assert.equal(h.size, 4);
    assert.equal(h.byteSize, one * 4);
    assert.equal(h.droppedCount, 6);
    assert.deepEqual([h.firstId, h.lastId], [7, 10]);
  });

  test('both limits: whichever binds evicts', () => {
    const small = entryBytes(msg('t', { payload: new Uint8Array(10) }));
    const big = entryBytes(msg('t', { payload: new Uint8Array(1000) }));
    const h = new MessageHistory({ maxMessages: 5, maxBytes: big * 2 + small });
    for (let i = 0; i < 8; i++) h.append(msg('t', { payload: new Uint8Array(10) }));
    assert.equal(h.size, 5); // count binds
    assert.equal(h.droppedCount, 3);
    h.append(msg('big1', { payload: new Uint8Array(1000) }));
    h.append(msg('t', { payload: new Uint8Array(1000) }));
    // bytes bind: big1 + t(1000) + at most one small; big1 has 4 more topic bytes, so no small fits
    assert.deepEqual([...h.entries()].map((e) => e.payload.byteLength), [1000, 1000]);
    assert.ok(h.byteSize <= big * 2 + small);
    assert.equal(h.droppedCount, 8);
  });

  test('a message larger than maxBytes alone is not kept, gets no id and leaves the rest alone', () => {
    const h = new MessageHistory({ maxBytes: 1000 });
    h.append(msg('a'));
    assert.equal(h.append(msg('huge', { payload: new Uint8Array(2000) })), undefined);
    assert.equal(h.append(msg('b')), 2);
    assert.deepEqual([...h.entries()].map((e) => [e.id, e.topic]), [[1, 'a'], [2, 'b']]);
    assert.equal(h.droppedCount, 1);
  });

  test('setLimits shrinks (evicting, counted) and grows', () => {
    const h = historyOf(['a', 'b', 'c', 'd', 'e', 'f']);
    h.setLimits({ maxMessages: 2 });
    assert.deepEqual([...h.entries()].map((e) => e.topic), ['e', 'f']);
    assert.equal(h.droppedCount, 4);
    assert.deepEqual(h.limits, { maxMessages: 2, maxBytes: 67_108_864 });
    h.setLimits({ maxMessages: 100 });
    for (const t of ['g', 'h', 'i']) h.append(msg(t));
    assert.equal(h.size, 5);
    h.setLimits({ maxBytes: entryBytes(msg('x')) * 2 });
    assert.deepEqual([...h.entries()].map((e) => e.topic), ['h', 'i']);
    assert.equal(h.droppedCount, 7);
    assert.throws(() => h.setLimits({ maxMessages: -1 }), /History limit maxMessages must be a number >= 0, not -1\./);
  });

  test('ids are stable across eviction and ring wrap-around; clear resets dropped but not ids', () => {
    const h = new MessageHistory({ maxMessages: 1500 });
    for (let i = 1; i <= 5000; i++) h.append(msg(`t/${i}`));
    assert.deepEqual([h.size, h.firstId, h.lastId, h.droppedCount], [1500, 3501, 5000, 3500]);
    for (const id of [3501, 4000, 4097, 5000]) assert.equal(h.get(id)?.topic, `t/${id}`);
    assert.equal(h.get(3500), undefined);
    assert.equal(h.get(5001), undefined);
    assert.equal(h.get(4000.5), undefined);
    h.clear();
    assert.deepEqual([h.size, h.firstId, h.lastId, h.droppedCount, h.byteSize], [0, 5001, 5000, 0, 0]);
    assert.equal(h.append(msg('after')), 5001);
    assert.equal(h.get(5001)?.topic, 'after');
  });

  test('incoming and outgoing are both recorded with all fields', () => {
    const h = new MessageHistory();
    const out = msg('cmd/led', { direction: 'out', qos: 2, retain: true, dup: true, payload: 'on' });
    h.append(out);
    assert.deepEqual(h.get(1), { ...out, id: 1 });
  });
});

describe('MessageHistory queries', () => {
  const topics = ['sensors/a/temp', 'sensors/b/temp', 'sensors/a/hum', '$SYS/broker/uptime', 'sensors', 'sensors//temp', 'other/x'];

  test('topic filters with + and #, and the $SYS rule', () => {
    const h = historyOf(topics);
    assert.deepEqual(topicsOf(h.query({ topicFilter: 'sensors/+/temp' })), ['sensors/a/temp', 'sensors/b/temp', 'sensors//temp']);
    assert.deepEqual(topicsOf(h.query({ topicFilter: 'sensors/#' })), ['sensors/a/temp', 'sensors/b/temp', 'sensors/a/hum', 'sensors', 'sensors//temp']);
    assert.deepEqual(topicsOf(h.query({ topicFilter: '#' })), ['sensors/a/temp', 'sensors/b/temp', 'sensors/a/hum', 'sensors', 'sensors//temp', 'other/x']);
    assert.deepEqual(topicsOf(h.query({ topicFilter: '+/broker/#' })), []);
    assert.deepEqual(topicsOf(h.query({ topicFilter: '$SYS/#' })), ['$SYS/broker/uptime']);
    assert.deepEqual(topicsOf(h.query({ topicFilter: 'other/x' })), ['other/x']);
    assert.equal(h.query({ topicFilter: '' }).count, 7); // empty = no condition
    assert.equal(h.query().all, true);
  });

  test('invalid topic filter and regex give exact messages and an empty view', () => {
    const h = historyOf(topics);
    const bad = h.query({ topicFilter: 'a/#/b' });
    assert.equal(bad.error, "'#' must be the last level of a filter, e.g. a/b/#.");
    assert.equal(bad.count, 0);
    assert.deepEqual(bad.range(0, 10), []);
    assert.equal(h.query({ topicFilter: 'a+' }).error, "'+' must occupy a whole level, e.g. a/+/c.");
    const badRegex = h.query({ regex: '(temp' });
    assert.equal(badRegex.error, 'Invalid regular expression: Unterminated group');
    assert.equal(badRegex.count, 0);
    assert.equal(validateHistoryFilter({ regex: '[a-' }), 'Invalid regular expression: Unterminated character class');
    assert.equal(validateHistoryFilter({ regex: 'a**' }), 'Invalid regular expression: Nothing to repeat');
    assert.equal(validateHistoryFilter({ topicFilter: 'a/+', regex: 'ok' }), undefined);
  });

  test('text matches topic or payload, case-insensitively; regex matches the payload only', () => {
    const h = new MessageHistory();
    h.append(msg('dev/1', { payload: '{"status":"OK","t":21.5}' }));
    h.append(msg('dev/2', { payload: '{"status":"FAIL"}' }));
    h.append(msg('Status/3', { payload: 'plain' }));
    h.append(msg('dev/4', { payload: new Uint8Array([0xff, 0x66, 0x61, 0x69, 0x6c]) })); // invalid UTF-8 then "fail"
    h.append(msg('dev/5', { payload: 'Grüße' }));
    h.append(msg('dev/6', { payload: '300 \u212a' })); // KELVIN SIGN lower-cases to ASCII "k"
    assert.deepEqual(topicsOf(h.query({ text: 'status' })), ['dev/1', 'dev/2', 'Status/3']);
    assert.deepEqual(topicsOf(h.query({ text: 'FAIL' })), ['dev/2', 'dev/4']);
    assert.deepEqual(topicsOf(h.query({ text: 'GRÜSSE' })), []); // lower-casing, not full case folding
    assert.deepEqual(topicsOf(h.query({ text: 'grüße' })), ['dev/5']);
    assert.deepEqual(topicsOf(h.query({ text: '0 k' })), ['dev/6']);
    assert.deepEqual(topicsOf(h.query({ text: 'rü' })), ['dev/5']);
    assert.deepEqual(topicsOf(h.query({ regex: '"t":\\d+\\.\\d' })), ['dev/1']);
    assert.deepEqual(topicsOf(h.query({ regex: '^status' })), []); // topics are not searched by regex
    assert.deepEqual(topicsOf(h.query({ regex: 'ok', regexIgnoreCase: true })), ['dev/1']);
    assert.deepEqual(topicsOf(h.query({ regex: 'ok' })), []);
    assert.deepEqual(topicsOf(h.query({ text: 'dev', regex: 'FAIL|fail' })), ['dev/2', 'dev/4']);
  });

  test('text and regex see only the first 64 KB of a payload', () => {
    const h = new MessageHistory();
    const late = new Uint8Array(SEARCH_TEXT_BYTES + 10).fill(0x61);
    late.set(new TextEncoder().encode('needle'), SEARCH_TEXT_BYTES + 2);
    const early = new Uint8Array(SEARCH_TEXT_BYTES + 10).fill(0x61);
    early.set(new TextEncoder().encode('needle'), SEARCH_TEXT_BYTES - 6);
    h.append(msg('late', { payload: late }));
    h.append(msg('early', { payload: early }));
    assert.equal(SEARCH_TEXT_BYTES, 65_536);
    assert.deepEqual(topicsOf(h.query({ text: 'NEEDLE' })), ['early']);
    assert.deepEqual(topicsOf(h.query({ regex: 'needle$' })), ['early']);
  });

  test('direction filter, combined with a topic filter', () => {
    const h = new MessageHistory();
    h.append(msg('cmd/a', { direction: 'out' }));
    h.append(msg('cmd/a'));
    h.append(msg('cmd/b', { direction: 'out' }));
    assert.deepEqual(ids(all(h.query({ direction: 'out' }))), [1, 3]);
    assert.deepEqual(ids(all(h.query({ direction: 'in' }))), [2]);
    assert.deepEqual(ids(all(h.query({ direction: 'out', topicFilter: 'cmd/b' }))), [3]);
  });

  test('a view catches up with appends and evictions; offset + position stays stable', () => {
    const h = new MessageHistory({ maxMessages: 6 });
    const view = h.query({ topicFilter: 'a/+' });
    const everything = h.query();
    assert.equal(view.count, 0);
    for (const t of ['a/1', 'b/1', 'a/2', 'a/3']) h.append(msg(t));
    assert.equal(view.count, 3);
    assert.deepEqual(ids(view.range(0, 10)), [1, 3, 4]);
    assert.deepEqual(ids(view.range(1, 1)), [3]);
    assert.deepEqual(ids(view.range(-5, 2)), [1, 3]);
    assert.equal(view.idAt(2), 4);
    assert.equal(view.idAt(3), undefined);
    for (const t of ['b/2', 'a/4', 'a/5']) h.append(msg(t)); // id 7 evicts id 1
    assert.deepEqual(ids(all(view)), [3, 4, 6, 7]);
    assert.equal(view.offset, 1);
    assert.equal(view.positionOf(6), 2);
    assert.equal(view.positionOf(5), 2); // not a match: where it would be
    assert.equal(view.positionOf(100), 4);
    assert.deepEqual(ids(all(everything)), [2, 3, 4, 5, 6, 7]);
    assert.equal(everything.offset, 1);
    assert.equal(everything.positionOf(4), 2);
    for (const t of ['b/3', 'b/4', 'b/5', 'b/6']) h.append(msg(t)); // evicts 2..5
    assert.deepEqual(ids(all(view)), [6, 7]);
    assert.equal(view.offset, 3); // ids 1, 3, 4 left the front
    h.setLimits({ maxMessages: 2 });
    assert.deepEqual([view.count, view.offset], [0, 5]);
    h.append(msg('a/6'));
    assert.deepEqual(ids(all(view)), [12]);
    h.clear();
    assert.deepEqual([view.count, view.offset, everything.count], [0, 6, 0]);
    h.append(msg('a/7'));
    assert.deepEqual(ids(all(view)), [13]);
    assert.deepEqual([...view.entries()].map((e) => e.topic), ['a/7']);
  });

  test('a view over many evictions compacts its id list and stays correct', () => {
    const h = new MessageHistory({ maxMessages: 1000 });
    const view = h.query({ text: 'even' });
    for (let i = 1; i <= 20_000; i++) {
      h.append(msg(`t/${i}`, { payload: i % 2 === 0 ? 'even' : 'odd' }));
      if (i % 777 === 0) assert.equal(view.count, Math.min(i, 1000) >> 1);
    }
    assert.equal(view.count, 500);
    assert.equal(view.idAt(0), 19_002);
    assert.equal(view.offset, 9_500);
    assert.deepEqual(ids(view.range(498, 5)), [19_998, 20_000]);
  });
});

describe('export', () => {
  const tricky = (): MqttMessage[] => [
    msg('sensors/a,b', { payload: 'say "hi"\nbye', qos: 1, retain: true, at: T0 }),
    msg('unicode/température', { payload: 'héllo ✓ 😀', direction: 'out', at: T0 + 1 }),
    msg('bin', { payload: new Uint8Array([0x00, 0xff, 0x10, 0x80]), dup: true, qos: 2, at: T0 + 2 }),
    msg('v5', {
      payload: '{"t":21.5}',
      at: T0 + 3,
      properties: {
        payloadFormatIndicator: true,
        messageExpiryInterval: 60,
        responseTopic: 'reply/1',
        correlationData: new Uint8Array([0xde, 0xad, 0xbe, 0xef]),
        userProperties: [['k', 'v'], ['k', 'w, "x"']],
        subscriptionIdentifiers: [3],
        contentType: 'application/json',
      },
    }),
    msg('ctl', { payload: new Uint8Array([0x01, 0x02]), at: T0 + 4 }),
    msg('empty', { payload: '', at: T0 + 5 }),
  ];

  test('JSON Lines: text or Base64 payload, v5 properties with hex correlation data and pairs', () => {
    const expected = [
      '{"time":"2023-11-14T22:13:20.000Z","direction":"in","topic":"sensors/a,b","qos":1,"retain":true,"dup":false,"payload":"say \\"hi\\"\\nbye"}',
      '{"time":"2023-11-14T22:13:20.001Z","direction":"out","topic":"unicode/température","qos":0,"retain":false,"dup":false,"payload":"héllo ✓ 😀"}',
      '{"time":"2023-11-14T22:13:20.002Z","direction":"in","topic":"bin","qos":2,"retain":false,"dup":true,"payloadBase64":"AP8QgA=="}',
      '{"time":"2023-11-14T22:13:20.003Z","direction":"in","topic":"v5","qos":0,"retain":false,"dup":false,"payload":"{\\"t\\":21.5}","properties":{"payloadFormatIndicator":true,"messageExpiryInterval":60,"responseTopic":"reply/1","correlationData":"deadbeef","userProperties":[["k","v"],["k","w, \\"x\\""]],"subscriptionIdentifiers":[3],"contentType":"application/json"}}',
      '{"time":"2023-11-14T22:13:20.004Z","direction":"in","topic":"ctl","qos":0,"retain":false,"dup":false,"payloadBase64":"AQI="}',
      '{"time":"2023-11-14T22:13:20.005Z","direction":"in","topic":"empty","qos":0,"retain":false,"dup":false,"payload":""}',
    ];
    const h = new MessageHistory();
    for (const m of tricky()) h.append(m);
    assert.equal(exportJsonLines(h.entries()), expected.map((l) => `${l}\n`).join(''));
    assert.deepEqual([...jsonLines(h.query({ topicFilter: 'bin' }).entries())], [`${expected[2]}\n`]);
    assert.equal(exportJsonLines([]), '');
  });

  test('CSV: RFC 4180 quoting of commas, quotes and newlines, header, encoding column, CRLF', () => {
    const h = new MessageHistory();
    for (const m of tricky()) h.append(m);
    const expected =
      'time,direction,topic,qos,retain,dup,payloadEncoding,payload,properties,decoded\r\n' +
      '2023-11-14T22:13:20.000Z,in,"sensors/a,b",1,true,false,text,"say ""hi""\nbye",,\r\n' +
      '2023-11-14T22:13:20.001Z,out,unicode/température,0,false,false,text,héllo ✓ 😀,,\r\n' +
      '2023-11-14T22:13:20.002Z,in,bin,2,false,true,base64,AP8QgA==,,\r\n' +
      '2023-11-14T22:13:20.003Z,in,v5,0,false,false,text,"{""t"":21.5}","{""payloadFormatIndicator"":true,""messageExpiryInterval"":60,""responseTopic"":""reply/1"",""correlationData"":""deadbeef"",""userProperties"":[[""k"",""v""],[""k"",""w, \\""x\\""""]],""subscriptionIdentifiers"":[3],""contentType"":""application/json""}",\r\n' +
      '2023-11-14T22:13:20.004Z,in,ctl,0,false,false,base64,AQI=,,\r\n' +
      '2023-11-14T22:13:20.005Z,in,empty,0,false,false,text,,,\r\n';
    assert.equal(exportCsv(h.entries()), expected);
    assert.equal([...csvLines([])].join(''), 'time,direction,topic,qos,retain,dup,payloadEncoding,payload,properties,decoded\r\n');
  });
});

describe('persistence', () => {
  function sample(): MessageHistory {
    const h = new MessageHistory({ maxMessages: 8 });
    h.append(msg('old/1'));
    h.append(msg('old/2'));
    h.append(msg('a/b', { payload: 'one', qos: 1, retain: true, at: T0 }));
    h.append(msg('a/b', { payload: new Uint8Array([0, 255, 7]), direction: 'out', qos: 2, dup: true, at: T0 - 5000 }));
    h.append(msg('', { payload: '', at: 1.5 })); // empty topic level, fractional time
    h.append(msg('ü/😀', { payload: 'x', at: T0 + 10 }));
    h.append({ ...msg('seq/neg', { at: T0 + 11 }), seq: -3 });
    h.append(msg('v5/props', { properties: { correlationData: new Uint8Array([1, 2]), userProperties: [['a', '1'], ['a', '2']], contentType: 'text/plain', payloadFormatIndicator: false, messageExpiryInterval: 0, topicAlias: 4, responseTopic: 'r', subscriptionIdentifiers: [1, 268435455] } }));
    h.append(msg('v5/empty', { properties: {} }));
    h.append(msg('last', { at: 2 ** 60 }));
    return h;
  }

  test('serialize/deserialize round trip keeps ids, order, all fields, properties and dropped count', () => {
    const h = sample();
    const bytes = h.serialize({ maxBytes: 1_000_000 });
    const { history, restored, error } = MessageHistory.deserialize(bytes, { maxMessages: 8 });
    assert.equal(error, undefined);
    assert.equal(restored, 8);
    assert.deepEqual([history.firstId, history.lastId, history.droppedCount], [3, 10, 2]);
    const expected = [...h.entries()].map((e) => (e.topic === 'v5/empty' ? { ...e, properties: undefined } : e));
    const actual = [...history.entries()].map((e) => (e.topic === 'v5/empty' ? { ...e, properties: undefined } : e));
    assert.deepEqual(actual, expected);
    assert.equal(history.byteSize, h.byteSize);
    assert.equal(history.append(msg('next')), 11);
  });

  test('restoring under smaller limits keeps the newest and counts the rest as dropped', () => {
    const { history, restored, error } = MessageHistory.deserialize(sample().serialize({ maxBytes: 1_000_000 }), { maxMessages: 3 });
    assert.equal(error, undefined);
    assert.equal(restored, 3);
    assert.deepEqual([...history.entries()].map((e) => [e.id, e.topic]), [[8, 'v5/props'], [9, 'v5/empty'], [10, 'last']]);
    assert.equal(history.droppedCount, 7);
  });

  test('the snapshot respects maxBytes by keeping the newest entries', () => {
    const h = new MessageHistory();
    for (let i = 0; i < 100; i++) h.append(msg(`devices/${i % 7}/state`, { payload: new Uint8Array(50).fill(i) }));
    const full = h.serialize({ maxBytes: 1e9 });
    for (const maxBytes of [2000, 1000, 500, 100, 40]) {
      const bytes = h.serialize({ maxBytes });
      assert.ok(bytes.byteLength <= maxBytes, `${bytes.byteLength} > ${maxBytes}`);
      if (maxBytes >= 500) assert.ok(bytes.byteLength > maxBytes - 150, `${bytes.byteLength} wastes the budget of ${maxBytes}`);
      const { history, restored, error } = MessageHistory.deserialize(bytes);
      assert.equal(error, undefined);
      assert.equal(history.lastId, 100);
      assert.equal(restored > 0, maxBytes >= 500);
      assert.equal(history.droppedCount, 100 - restored);
      assert.deepEqual([...history.entries()], [...h.entries()].slice(100 - restored));
    }
    assert.ok(full.byteLength < 100 * (50 + 6) + 200, `full snapshot of ${full.byteLength} bytes is not compact`);
    assert.equal(h.serialize({ maxBytes: 10 }).byteLength, 0);
    assert.deepEqual(MessageHistory.deserialize(new Uint8Array(0)).error, undefined);
  });

  test('corrupt, truncated or foreign input gives an empty history and a sentence, never a throw', () => {
    const bytes = sample().serialize({ maxBytes: 1_000_000 });
    const read = (b: Uint8Array): [number, number, string | undefined] => {
      const r = MessageHistory.deserialize(b);
      return [r.restored, r.history.size, r.error];
    };
    const flipped = bytes.slice();
    flipped[40] ^= 0x10;
    assert.deepEqual(read(flipped), [0, 0, 'Saved history could not be read: it is corrupt (checksum mismatch).']);
    assert.deepEqual(read(bytes.subarray(0, bytes.length - 10)), [0, 0, `Saved history could not be read: it is truncated (${bytes.length - 10} of ${bytes.length} bytes).`]);
    assert.deepEqual(read(new TextEncoder().encode('{"not":"a snapshot"}')), [0, 0, 'Saved history could not be read: it is not a message history snapshot.']);
    assert.deepEqual(read(new Uint8Array([0x4d, 0x51])), [0, 0, 'Saved history could not be read: it is too short (2 bytes).']);
    const future = bytes.slice();
    future[4] = 9;
    assert.deepEqual(read(future), [0, 0, 'Saved history could not be read: it has format version 9, this version of MQTT Workbench reads version 1.']);
    // A well-formed envelope (right length and checksum) around a bad entry.
    const body = [0x4d, 0x51, 0x57, 0x48, 1, 0, 0, 0, 0, /* nextId */ 5, /* dropped */ 0, /* topics */ 1, 1, 0x61, /* entries */ 1, /* flags: QoS 3 */ 3, 0, 0, 0, 0];
    const forged = new Uint8Array(body.length + 4);
    forged.set(body);
    new DataView(forged.buffer).setUint32(5, forged.length, true);
    new DataView(forged.buffer).setUint32(body.length, crc32(forged.subarray(0, body.length)), true);
    assert.deepEqual(read(forged), [0, 0, 'Saved history could not be read: entry 0 has QoS 3.']);
    forged[15] = 0; // QoS 0: now valid
    new DataView(forged.buffer).setUint32(body.length, crc32(forged.subarray(0, body.length)), true);
    assert.deepEqual(read(forged), [1, 1, undefined]);
    // Every truncation and every single-byte corruption is reported, not thrown.
    for (let n = 0; n < bytes.length; n++) assert.equal(read(bytes.subarray(0, n))[2]?.startsWith('Saved history could not be read: ') ?? false, n > 0, `cut at ${n}`);
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes.slice();
      b[i] ^= 0xff;
      assert.match(read(b)[2] ?? '', /^Saved history could not be read: .+\.$/);
    }
  });
});
