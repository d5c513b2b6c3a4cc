import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validateFromWebview } from '../../src/shared/validateFromWebview';
import { WEBVIEW_MESSAGES } from '../helpers/fuzzInputs';

describe('validateFromWebview', () => {
  test('accepts every well-formed message of the protocol', () => {
    const good: unknown[] = [
      ...WEBVIEW_MESSAGES,
      { type: 'follow', rows: 0 },
      { type: 'publish', requestId: 9, draft: { topic: 'a/b', payload: 'x', format: 'file', qos: 2, retain: true, protobufType: '' } },
    ];
    for (const message of good) assert.deepEqual(validateFromWebview(message), { ok: true, message }, JSON.stringify(message));
  });

  test('rejects unknown types, wrong field types and out-of-range numbers, saying why', () => {
    const cases: Array<[unknown, string]> = [
      ['ready', 'not an object with a type'],
      [{ type: 'runCommand', command: 'workbench.action.terminal.new' }, 'unknown message type "runCommand"'],
      [{ type: 'openFile', path: '/etc/passwd' }, 'unknown message type "openFile"'],
      [{ type: 'getRows', requestId: 1, start: -1, count: 5 }, 'getRows: requestId, start and count (at most 500) must be whole numbers'],
      [{ type: 'getRows', requestId: 1, start: 0, count: 100000 }, 'getRows: requestId, start and count (at most 500) must be whole numbers'],
      [{ type: 'getDetail', requestId: 1, id: 1, codec: '../../x' }, 'getDetail: requestId, id and codec are required'],
      [{ type: 'setFilter', filter: { topicFilter: 1, text: '', regex: false } }, 'setFilter: filter must be { topicFilter, text, regex }'],
      [{ type: 'export', format: 'html', scope: 'all' }, 'export: format and scope are invalid'],
      [{ type: 'setPaused', paused: 'yes' }, 'setPaused: paused must be true or false'],
      [{ type: 'publish', requestId: 1, draft: { topic: 'a', payload: 'x', format: 'text', qos: 3, retain: false, protobufType: '' } }, 'publish: requestId and a well-formed draft are required'],
      [{ type: 'checkPublish', requestId: 1, draft: { topic: 'a', payload: 5, format: 'text', qos: 0, retain: false, protobufType: '' } }, 'checkPublish: requestId and a well-formed draft are required'],
      [{ type: 'publish', requestId: 1, draft: { topic: 'a', payload: '', format: 'text', qos: 0, retain: false, protobufType: '', properties: { userProperties: [['only-key']] } } }, 'publish: requestId and a well-formed draft are required'],
      [{ type: 'follow', rows: 100000 }, 'follow: rows (0 to 200) is required'],
      [{ type: 'follow', rows: true }, 'follow: rows (0 to 200) is required'],
      [{ type: 'pickPayloadFile', path: '/etc/passwd' }, 'pickPayloadFile: requestId is required'],
      [{ type: 'getSeries', requestId: 1, id: 1, path: 'x'.repeat(201) }, 'getSeries: requestId, id and path (at most 200 characters) are required'],
      [{ type: 'watchValue', id: -1, path: 'temp' }, 'watchValue: id and path (at most 200 characters) are required'],
    ];
    for (const [message, reason] of cases) assert.deepEqual(validateFromWebview(message), { ok: false, reason }, JSON.stringify(message));
  });

  test('copies only the known fields, so extra fields never reach the host', () => {
    const result = validateFromWebview({ type: 'copy', id: 1, what: 'raw', codec: 'text', command: 'evil' });
    assert.deepEqual(result, { ok: true, message: { type: 'copy', id: 1, what: 'raw', codec: 'text' } });
  });
});
