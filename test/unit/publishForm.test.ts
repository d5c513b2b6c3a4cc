import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SubmitResult } from '../../src/core/publish/outbox';
import type { BuiltPublish } from '../../src/core/publish/publishRequest';
import type { RequestOutcome } from '../../src/core/publish/requestResponse';
import { SessionError } from '../../src/core/session';
import { checkPublish, publishFromForm, publishSetup, toPublishDraft, type PublishTarget } from '../../src/host/panel/publishForm';
import type { PublishFormDraft } from '../../src/shared/protocol';

const FORM: PublishFormDraft = { topic: 'lab/valve/set', payload: '{"open": true}', format: 'json', qos: 1, retain: false, protobufType: '' };
const PROPERTIES = { contentType: '', payloadFormatIndicator: false, messageExpiryInterval: '', responseTopic: '', correlationData: '', correlationDataEncoding: 'text' as const, userProperties: [] as Array<[string, string]>, topicAlias: '' };

/** A connection for the form: answers with `answer`, records what was submitted and remembered. */
function target(answer: () => Promise<SubmitResult>, protocolVersion: 3 | 4 | 5 = 5, reply?: () => Promise<RequestOutcome>) {
  const submitted: BuiltPublish[] = [];
  const remembered: string[] = [];
  const t: PublishTarget = {
    protocolVersion: () => protocolVersion,
    proto: () => undefined,
    structs: () => undefined,
    topics: () => ['a/b'],
    submit: (built) => {
      submitted.push(built);
      return answer();
    },
    request: (built) => {
      submitted.push(built);
      return reply ? reply() : Promise.reject(new SessionError('no responder in this test'));
    },
    remember: (draft) => remembered.push(draft.topic),
  };
  return { t, submitted, remembered };
}

describe('panel publish form (host side)', () => {
  test('the form draft becomes a core draft: empty property fields are left out, protobuf type only for protobuf', () => {
    assert.deepEqual(toPublishDraft({ ...FORM, protobufType: 'x.Y' }), { topic: 'lab/valve/set', payload: '{"open": true}', format: 'json', qos: 1, retain: false });
    const draft = toPublishDraft({ ...FORM, format: 'protobuf', protobufType: 'x.Y', properties: { ...PROPERTIES, contentType: 'application/json', messageExpiryInterval: ' 60 ', userProperties: [['k', 'v']] } });
    assert.equal(draft.protobufType, 'x.Y');
    assert.deepEqual(draft.properties, { contentType: 'application/json', payloadFormatIndicator: undefined, messageExpiryInterval: '60', responseTopic: undefined, correlationData: undefined, correlationDataEncoding: 'text', userProperties: [['k', 'v']], topicAlias: undefined });
  });

  test('setup lists the formats with labels and says whether MQTT 5 properties apply', () => {
    const setup = publishSetup(target(() => Promise.resolve({ queued: 1 }), 4).t);
    assert.deepEqual(setup.formats.map((f) => f.id), ['text', 'json', 'hex', 'base64', 'cbor', 'msgpack', 'protobuf', 'cstruct', 'file']);
    assert.equal(setup.formats[4]?.label, 'CBOR from JSON');
    assert.equal(setup.mqtt5, false);
    assert.deepEqual(setup.topics, ['a/b']);
  });

  test('live check: each problem with its field', () => {
    const { t } = target(() => Promise.resolve({ queued: 1 }));
    assert.deepEqual(checkPublish(7, { ...FORM, topic: 'lab/+/set', payload: '{"open": tru}' }, t), {
      type: 'publishChecked',
      requestId: 7,
      problems: [
        { field: 'topic', message: 'Topic must not contain wildcards (+ or #); wildcards are only for subscriptions.' },
        { field: 'payload', message: "Not valid JSON at line 1, column 10 (byte 9): expected a value, found 't'" },
      ],
    });
    assert.deepEqual(checkPublish(8, { ...FORM, properties: { ...PROPERTIES, topicAlias: '0' } }, t).problems.map((p) => p.field), ['properties.topicAlias']);
    assert.deepEqual(checkPublish(9, FORM, t).problems, []);
  });

  test('publish: the broker answer, the queue, a refusal, and nothing sent for an invalid draft', async () => {
    const acked = target(() => Promise.resolve({ qos: 1, elapsedMs: 3, summary: 'Acknowledged in 3 ms' }));
    assert.deepEqual(await publishFromForm(1, FORM, acked.t), { type: 'published', requestId: 1, ok: true, summary: 'Acknowledged in 3 ms', problems: [] });
    assert.equal(new TextDecoder().decode(acked.submitted[0]?.payload), '{"open": true}');
    assert.deepEqual(acked.remembered, ['lab/valve/set']);

    const queued = target(() => Promise.resolve({ queued: 3 }));
    assert.equal((await publishFromForm(2, FORM, queued.t)).summary, 'Queued: 3 messages waiting for the connection.');

    const refused = target(() => Promise.reject(new SessionError('Not authorized (0x87)', 0x87)));
    assert.deepEqual(await publishFromForm(3, FORM, refused.t), { type: 'published', requestId: 3, ok: false, summary: 'Not authorized (0x87)', problems: [] });
    assert.deepEqual(refused.remembered, []);

    const invalid = target(() => Promise.resolve({ queued: 1 }));
    const answer = await publishFromForm(4, { ...FORM, payload: '{' }, invalid.t);
    assert.equal(answer.ok, false);
    assert.equal(answer.summary, 'Nothing was published: fix the fields marked below.');
    assert.deepEqual(answer.problems.map((p) => p.field), ['payload']);
    assert.equal(invalid.submitted.length, 0);
  });

  test('a file payload: refused until a file is picked, then its bytes are sent as they are', async () => {
    const { t, submitted } = target(() => Promise.resolve({ qos: 0, elapsedMs: 0, summary: 'Sent' }));
    const form = { ...FORM, format: 'file', payload: 'ignored' };
    assert.deepEqual(checkPublish(1, form, t).problems, [{ field: 'payload', message: 'Choose the file to send.' }]);
    const bytes = new Uint8Array([0, 0xff, 0x10]);
    assert.deepEqual(checkPublish(2, form, t, { name: 'fw.bin', bytes }).problems, []);
    assert.equal((await publishFromForm(3, form, t, { name: 'fw.bin', bytes })).summary, 'Sent');
    assert.deepEqual([...(submitted[0]?.payload ?? [])], [0, 0xff, 0x10]);
  });

  test('a request shows the reply and its round trip; a failed request says why', async () => {
    const response = { topic: 'replies/x', payload: new TextEncoder().encode('{"ok":true}'), qos: 0 as const, retain: false, dup: false, receivedAt: 0, seq: 0, direction: 'in' as const };
    const outcome: RequestOutcome = { request: { qos: 1, elapsedMs: 1, summary: 'Acknowledged in 1 ms' }, response, rttMs: 12, responseTopic: 'replies/x', correlationData: new Uint8Array([1]) };
    const answered = target(() => Promise.resolve({ queued: 1 }), 5, () => Promise.resolve(outcome));
    assert.deepEqual(await publishFromForm(1, FORM, answered.t, undefined, 'request'), {
      type: 'published',
      requestId: 1,
      ok: true,
      summary: 'Response on replies/x in 12 ms',
      problems: [],
      response: { topic: 'replies/x', text: '{"ok":true}' },
    });
    const silent = target(() => Promise.resolve({ queued: 1 }));
    assert.equal((await publishFromForm(2, FORM, silent.t, undefined, 'request')).summary, 'no responder in this test');
  });
});
