/* global window, location, setTimeout, setInterval, console, URLSearchParams */
// A stand-in for the extension host: defines acquireVsCodeApi and answers the panel's requests from
// generated rows, so the webview can be checked in a plain browser (see test/bench/panelDom.bench.mjs). ?n=<rows>&live=1
(function () {
  'use strict';
  const params = new URLSearchParams(location.search);
  let total = Number(params.get('n') || 100000);
  const hostile = ['<img src=x onerror=alert(1)>', '<script>window.__pwned=1</script>', 'javascript:window.__pwned=1', '"><svg onload=alert(1)>'];
  const topics = ['sensors/kitchen/temp', 'sensors/garage/humidity', 'devices/esp32-01/status', 'cmd/esp32-01/reboot', 'spBv1.0/plant/DDATA/edge1', 'xss/<img src=x onerror=alert(1)>'];
  const base = Date.UTC(2025, 0, 15, 9, 30, 0);
  window.__posted = [];
  window.__pwned = false;
  window.alert = () => { window.__pwned = true; };

  function row(id) {
    const i = id - 1;
    const topic = topics[i % topics.length];
    const preview = i % 7 === 3 ? hostile[i % hostile.length] : topic.startsWith('sensors') ? `{"value":${(20 + (i % 50) / 10).toFixed(1)},"unit":"C","seq":${i}}` : i % 5 === 0 ? '0a 1b 2c 3d 4e 5f 60 71 82 93 a4 b5' : `online uptime=${i}s rssi=-${40 + (i % 30)}`;
    return { id, time: base + i * 37, direction: i % 11 === 0 ? 'out' : 'in', topic, qos: i % 3, retain: i % 13 === 0, dup: i % 29 === 0, size: preview.length * 3, preview };
  }

  // The "view": ids of matching rows. Unfiltered: all ids 1..total.
  let filter = { topicFilter: '', text: '', regex: false };
  let matches = null; // null = all
  let offset = 0;
  let paused = false;
  let followRows = 0; // rows of the newest end that every status carries (the list follows the end)
  const count = () => (matches ? matches.length : total);
  const idAt = (position) => (matches ? matches[position] : position + 1);

  function rowsFrom(start, n) {
    const rows = [];
    for (let p = start - offset; p < start - offset + n && p < count(); p++) if (p >= 0) rows.push(row(idAt(p)));
    return rows;
  }
  function send(message) {
    setTimeout(() => window.dispatchEvent(new window.MessageEvent('message', { data: message })), 3);
  }
  function status() {
    let filterError;
    if (filter.topicFilter.includes('#') && !filter.topicFilter.endsWith('#')) filterError = "'#' must be the last level of a filter, e.g. a/b/#.";
    if (filter.regex) { try { new RegExp(filter.text); } catch (e) { filterError = `Invalid regular expression: ${String(e.message).replace(/^.*: /, '')}`; } }
    const shown = filterError ? 0 : count();
    const start = offset + Math.max(0, shown - followRows);
    const tail = followRows > 0 && shown > 0 ? { start, rows: rowsFrom(start, offset + shown - start) } : undefined;
    send({ type: 'status', count: shown, offset, dropped: 1234, total, paused, filterError, connectionState: 'connected', tail });
  }
  function applyFilter() {
    const t = filter.topicFilter.replace(/[#+].*$/, '');
    const needle = filter.text.toLowerCase();
    if (!t && !needle) { matches = null; return; }
    matches = [];
    for (let id = 1; id <= total; id++) {
      const r = row(id);
      if (t && !r.topic.startsWith(t)) continue;
      if (needle && !filter.regex && !(r.topic + r.preview).toLowerCase().includes(needle)) continue;
      matches.push(id);
    }
  }

  window.acquireVsCodeApi = () => ({
    getState: () => JSON.parse(window.sessionStorage.getItem('state') || 'null'),
    setState: (s) => window.sessionStorage.setItem('state', JSON.stringify(s)),
    postMessage(m) {
      window.__posted.push(m);
      switch (m.type) {
        case 'ready':
          send({ type: 'init', connection: 'Local mosquitto <b>&amp;</b>', filter, paused, codecs: [
            { id: 'text', label: 'Text' }, { id: 'json', label: 'JSON' }, { id: 'hex', label: 'Hex dump' }, { id: 'base64', label: 'Base64' },
            { id: 'cbor', label: 'CBOR' }, { id: 'msgpack', label: 'MessagePack' }, { id: 'protobuf', label: 'Protobuf' }, { id: 'sparkplug', label: 'Sparkplug B' }] });
          status();
          break;
        case 'getRows':
          send({ type: 'rows', requestId: m.requestId, start: m.start, rows: rowsFrom(m.start, m.count) });
          break;
        case 'follow': followRows = Math.min(m.rows, 200); status(); break;
        case 'getPublishSetup': break; // the publish form stays closed in this harness
        case 'getDetail': {
          const r = row(m.id);
          const bad = m.codec === 'cbor';
          const text = bad ? '' : m.codec === 'hex' ? '00000000  7b 22 76 61 6c 75 65 22  3a 32 31 2e 35 7d        |{"value":21.5}|' : JSON.stringify({ topic: r.topic, value: 21.5, ok: true, none: null, html: hostile[0], nested: { list: [1, 2, 3] } }, null, 2);
          send({ type: 'detail', requestId: m.requestId, id: m.id, codec: m.codec === 'auto' ? 'json' : m.codec, text, language: m.codec === 'hex' ? 'hex' : m.codec === 'text' ? 'text' : 'json',
            error: bad ? 'Not valid CBOR at byte 12: unexpected end of input' : undefined, notes: m.id % 2 ? ['Preview cut at 1 MB.'] : [],
            properties: [{ name: 'Content type', value: 'application/json' }, { name: 'User property: <b>x</b>', value: hostile[0] }, { name: 'Correlation data', value: '01 02 03 04' }], row: r });
          break;
        }
        case 'setFilter': filter = m.filter; offset = 0; applyFilter(); status(); break;
        case 'setPaused': paused = m.paused; status(); break;
        case 'clear': total = 0; matches = null; offset = 0; status(); break;
        case 'copy': case 'openInEditor': case 'compareWithPrevious': case 'export':
          send({ type: 'error', message: `Harness: ${m.type} is handled by the host <img src=x onerror=alert(1)>` });
          break;
        default: console.warn('unknown', m);
      }
    },
  });

  if (params.get('live')) setInterval(() => { if (!paused) { total += 5; if (matches) applyFilter(); status(); } }, 100);
})();
