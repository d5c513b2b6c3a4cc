// Importers: this extension's history export (JSON Lines and CSV) and mqtt_recorder's CSV become capture messages
// field for field, with their timing; a bad row is skipped with a sentence naming its line.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { exportCsv, exportJsonLines } from '../../src/core/history';
import { csvRows, detectImportFormat, importMessages } from '../../src/core/capture/importers';
import type { MqttMessage } from '../../src/shared/mqttMessage';

const messages: MqttMessage[] = [
  { topic: 'a/b', payload: new TextEncoder().encode('21.5, "quoted"\nline'), qos: 1, retain: true, dup: false, direction: 'in', receivedAt: Date.UTC(2026, 0, 1, 12), seq: 1, properties: { userProperties: [['k', '1'], ['k', '2']], correlationData: new Uint8Array([1, 2]), contentType: 'text/plain' } },
  { topic: 'bin', payload: new Uint8Array([0, 255, 7]), qos: 0, retain: false, dup: true, direction: 'out', receivedAt: Date.UTC(2026, 0, 1, 12) + 1500, seq: 2 },
];

function imported(text: string, name: string) {
  const problems: string[] = [];
  const format = detectImportFormat(name, text.split('\n')[0]);
  return { format, problems, rows: [...importMessages(text, format, (p) => problems.push(p))] };
}

describe('capture importers', () => {
  for (const [label, text, name] of [['JSON Lines', exportJsonLines(messages), 'lab.jsonl'], ['CSV', exportCsv(messages), 'lab.csv']] as const) {
    test(`a history export as ${label} becomes the same messages with their timing`, () => {
      const { format, problems, rows } = imported(text, name);
      assert.equal(format, name.endsWith('.csv') ? 'historyCsv' : 'historyJsonl');
      assert.deepEqual(problems, []);
      assert.deepEqual(rows.map((r) => r.t), [0, 1_500_000]);
      rows.forEach((row, i) => {
        const m = messages[i];
        assert.deepEqual({ ...row.message, payload: Buffer.from(row.message.payload) }, { topic: m.topic, payload: Buffer.from(m.payload), qos: m.qos, retain: m.retain, dup: m.dup, direction: m.direction, ...(m.properties ? { properties: m.properties } : {}) });
      });
    });
  }

  test('a CSV export written before the decoded column is still read as a history export', () => {
    const old = exportCsv(messages).replace(/,decoded\r\n/, '\r\n').replace(/,\r\n/g, '\r\n');
    const { format, problems, rows } = imported(old, 'old.csv');
    assert.equal(format, 'historyCsv');
    assert.deepEqual(problems, []);
    assert.deepEqual(rows.map((r) => r.message.topic), ['a/b', 'bin']);
  });

  test('mqtt_recorder CSV: topic, base64 payload, qos, retain, seconds since the previous message', () => {
    const text = 'sensors/t,MjEuNQ==,1,False,0.5\r\nsensors/h,NDA=,0,True,0.25\r\n';
    const { format, problems, rows } = imported(text, 'session.csv');
    assert.equal(format, 'mqttRecorderCsv');
    assert.deepEqual(problems, []);
    assert.deepEqual(rows.map((r) => [r.t, r.message.topic, Buffer.from(r.message.payload).toString(), r.message.qos, r.message.retain]), [
      [500_000, 'sensors/t', '21.5', 1, false],
      [750_000, 'sensors/h', '40', 0, true],
    ]);
  });

  test('bad rows are skipped with a sentence each; the good rows around them are kept', () => {
    const text = ['ok/1,AQ==,0,False,0', 'bad,%%%,0,False,0', 'bad,AQ==,5,False,0', 'bad,AQ==,0,maybe,0', 'bad,AQ==,0,False,-1', 'short,AQ==', 'ok/2,Ag==,2,True,1'].join('\n');
    const { problems, rows } = imported(text, 'rec.csv');
    assert.deepEqual(rows.map((r) => r.message.topic), ['ok/1', 'ok/2']);
    assert.deepEqual(problems, [
      'Line 2: the payload is not valid base64; it was skipped.',
      'Line 3: qos must be 0, 1 or 2, not "5"; it was skipped.',
      'Line 4: retain must be True or False, not "maybe"; it was skipped.',
      'Line 5: the time delta must be seconds (a number of at least 0), not "-1"; it was skipped.',
      'Line 6 of the mqtt_recorder CSV has 2 fields; expected topic, payload, qos, retain, time delta. It was skipped.',
    ]);
    const jsonl = imported('{"time":"2026-01-01T00:00:00Z","topic":"x","qos":0}\nnot json\n{"time":"nope","topic":"x","qos":0}\n', 'h.jsonl');
    assert.deepEqual(jsonl.problems, ['Line 2 is not valid JSON; it was skipped.', 'Line 3 has no valid time; it was skipped.']);
  });

  test('CSV rows: quoted fields with commas, doubled quotes and line breaks', () => {
    assert.deepEqual([...csvRows('a,"b,c","say ""hi""","x\ny"\r\nlast,1')], [
      { line: 1, fields: ['a', 'b,c', 'say "hi"', 'x\ny'] },
      { line: 3, fields: ['last', '1'] },
    ]);
  });
});
