import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatAge, formatBytes, payloadPreview } from '../../src/core/payload/preview';
import { clearRetained } from '../../src/core/retainedCleaner';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('payloadPreview', () => {
  test('text stays text on one line, binary becomes hex, long payloads are cut with a marker', () => {
    assert.equal(payloadPreview(utf8('{"t":21.5}')), '{"t":21.5}');
    assert.equal(payloadPreview(utf8('a\nb\tc')), 'a↵b→c');
    assert.equal(payloadPreview(new Uint8Array([0, 1, 2, 255])), '0x 00 01 02 ff');
    assert.equal(payloadPreview(utf8('x'.repeat(100)), 10), `${'x'.repeat(10)}…`);
    assert.equal(payloadPreview(new Uint8Array(0)), '(empty)');
    assert.equal(payloadPreview(new Uint8Array(64).fill(0xfe), 12), '0x fe fe fe fe …');
    assert.equal(payloadPreview(utf8('héllo wörld ✓')), 'héllo wörld ✓');
  });

  test('a multi-byte character cut at the preview boundary is still text', () => {
    const payload = utf8(`${'é'.repeat(300)}`);
    assert.equal(payloadPreview(payload, 5), 'ééééé…');
  });

  test('sizes and ages read like people write them', () => {
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(1536), '1.5 KB');
    assert.equal(formatBytes(3 * 1024 * 1024), '3.0 MB');
    assert.equal(formatAge(0, 500), 'now');
    assert.equal(formatAge(0, 12_000), '12 s');
    assert.equal(formatAge(0, 5 * 60_000), '5 min');
    assert.equal(formatAge(0, 3 * 3_600_000), '3 h');
  });
});

describe('clearRetained', () => {
  test('stops starting new publishes when cancelled and reports failures per topic', async () => {
    const started: string[] = [];
    let cancel = false;
    const summary = await clearRetained(
      ['a', 'b', 'bad', 'c', 'd'],
      async (topic) => {
        started.push(topic);
        if (topic === 'bad') throw new Error('Not authorized (0x87)');
        if (topic === 'c') cancel = true;
      },
      { concurrency: 1, isCancelled: () => cancel },
    );
    assert.deepEqual(started, ['a', 'b', 'bad', 'c']);
    assert.deepEqual(summary, { cleared: 3, failed: [{ topic: 'bad', error: 'Not authorized (0x87)' }], skipped: 1 });
  });
});
