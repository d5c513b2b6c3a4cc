// The recording's argument, default file name, limits and status text.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultCapturePath, reachedLimit, readRecordRequest, recordingStatusText } from '../../src/core/capture/recordPlan';

describe('recording plan', () => {
  test('an argument for tasks: defaults, and each wrong field named', () => {
    const problems: string[] = [];
    assert.deepEqual(readRecordRequest({ connection: 'Lab' }, problems), { connection: 'Lab', filters: ['#'], file: undefined, maxMegabytes: undefined, maxMessages: undefined, durationSeconds: undefined, includePublished: undefined });
    readRecordRequest({ connection: 'Lab', filters: ['a/#/b'], maxMessages: 0, durationSeconds: 'long', fiel: 'x' }, problems);
    assert.deepEqual(problems, [
      "record.filters[0]: '#' must be the last level of a filter, e.g. a/b/#.",
      'record.maxMessages: must be between 1 and 9007199254740991, not 0',
      'record.durationSeconds: must be a number, not the string "long"',
      'record.fiel: unknown field (did you mean "file"?)',
    ]);
  });

  test('default path: captures/<connection>-<yyyyMMdd-HHmmss>.mqttcap, unsafe characters replaced', () => {
    assert.equal(defaultCapturePath('Lab broker/2', new Date(2026, 11, 2, 9, 5, 7)), 'captures/Lab_broker_2-20261202-090507.mqttcap');
    assert.equal(defaultCapturePath('..', new Date(2026, 0, 1, 0, 0, 0)), 'captures/_-20260101-000000.mqttcap');
  });

  test('limits by count, size and duration; the status bar text', () => {
    const limits = { maxMessages: 100, maxMegabytes: 1, durationSeconds: 60 };
    assert.equal(reachedLimit(limits, 99, 1000, 1000), undefined);
    assert.equal(reachedLimit(limits, 100, 1000, 1000), 'maxMessages');
    assert.equal(reachedLimit(limits, 5, 1024 * 1024, 1000), 'maxMegabytes');
    assert.equal(reachedLimit(limits, 5, 1000, 60_000), 'duration');
    assert.equal(recordingStatusText(12_345, 3.2 * 1024 * 1024, 83_000), '● REC 12,345 msgs · 3.2 MB · 01:23');
    assert.equal(recordingStatusText(1, 512, 3_723_000), '● REC 1 msg · 512 B · 1:02:03');
  });
});
