// The alert engine on a virtual clock: thresholds with hysteresis and "for N seconds", silence, equals/changes,
// rate, connection conditions, and the cooldown that throttles notifications and actions.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AlertEngine } from '../../src/core/monitor/alertEngine';
import type { AlertEvent } from '../../src/core/monitor/alertRecord';
import { ManualClock } from '../../src/core/monitor/clock';
import { plannedPublish, untrustedActionMessage } from '../../src/core/monitor/actionPlan';
import { parseAlertRules } from '../../src/core/monitor/ruleParse';
import type { MqttMessage } from '../../src/shared/mqttMessage';

function engineWith(rules: unknown[]): { engine: AlertEngine; clock: ManualClock; events: AlertEvent[]; send(topic: string, payload: string): void } {
  const parsed = parseAlertRules(rules, { savedMessages: new Set() });
  assert.deepEqual(parsed.problems, []);
  const clock = new ManualClock(1_000_000);
  const engine = new AlertEngine(clock);
  engine.setRules(parsed.rules);
  const events: AlertEvent[] = [];
  engine.onEvent((e) => events.push(e));
  engine.connectionState('Lab', true);
  const send = (topic: string, payload: string): void => {
    const message: MqttMessage = { topic, payload: new TextEncoder().encode(payload), qos: 0, retain: false, dup: false, receivedAt: clock.now(), seq: 0, direction: 'in' };
    engine.message('Lab', message);
  };
  return { engine, clock, events, send };
}
const kinds = (events: AlertEvent[]): string[] => events.map((e) => `${e.kind}${e.notify ? '+notify' : ''}${e.act ? '+act' : ''}`);

describe('AlertEngine', () => {
  test('a threshold with hysteresis fires once above the limit and clears only below limit - hysteresis', () => {
    const { events, send, engine } = engineWith([{ name: 'Hot', topic: 'boiler/+/temp', path: 'c', when: { above: 80, hysteresis: 5 } }]);
    send('boiler/1/temp', '{"c":79}');
    send('boiler/1/temp', '{"c":81}');
    send('boiler/1/temp', '{"c":90}');
    send('boiler/1/temp', '{"c":77}');
    assert.deepEqual(kinds(events), ['fired+notify']);
    assert.equal(events[0]?.alert.reason, 'Hot: boiler/1/temp c is 81 (above 80)');
    assert.equal(engine.active().length, 1);
    send('boiler/1/temp', '{"c":75}');
    assert.deepEqual(kinds(events), ['fired+notify', 'cleared+notify']);
    assert.equal(events[1]?.alert.clearReason, 'boiler/1/temp is 75');
    assert.equal(engine.active().length, 0);
    send('boiler/2/temp', '{"other":1}');
    assert.equal(events.length, 2, 'a payload without the field neither fires nor clears');
  });

  test('reading the settings again keeps the state of unchanged rules; a changed rule starts over', () => {
    const rule = { name: 'Gone', topic: 'hb', when: { silentForSeconds: 10 } };
    const { events, clock, engine } = engineWith([rule]);
    clock.advance(10_000);
    engine.tick();
    assert.deepEqual(kinds(events), ['fired+notify']);
    engine.setRules(parseAlertRules([{ name: 'Other', topic: 'x', when: { changes: true } }, rule], { savedMessages: new Set() }).rules);
    assert.equal(engine.active().length, 1, 'still active, nothing cleared');
    engine.setRules(parseAlertRules([{ ...rule, when: { silentForSeconds: 20 } }], { savedMessages: new Set() }).rules);
    assert.deepEqual(kinds(events), ['fired+notify', 'cleared+notify']);
    assert.equal(events[1]?.alert.clearReason, 'the rule was removed or changed');
  });

  test('per-topic state survives reading the settings again when the rules around it change', () => {
    const hot = { name: 'Hot', topic: 'boiler/+/temp', when: { above: 80, hysteresis: 5 } };
    const changed = { name: 'Changed', topic: 'boiler/#', when: { changes: true } };
    const { events, send, engine } = engineWith([hot, changed]);
    send('boiler/1/temp', '90');
    send('boiler/2/temp', '20');
    send('boiler/1/temp', '91');
    assert.deepEqual(events.map((e) => `${e.kind} ${e.alert.rule.name}`), ['fired Hot', 'fired Changed'], 'a change is an event: it fires and is over, without a clear');
    // A new rule on the same topic, and the order turned round: each topic's rules sit in new places.
    engine.setRules(parseAlertRules([{ name: 'Off', topic: 'boiler/1/temp', when: { equals: 'off' } }, changed, hot], { savedMessages: new Set() }).rules);
    events.length = 0;
    send('boiler/1/temp', '76');
    assert.deepEqual(events.map((e) => e.alert.reason), ['Changed: boiler/1/temp changed from "91" to "76"'], 'Hot is still active (76 is inside its hysteresis), Changed remembers 91');
    send('boiler/1/temp', '74');
    assert.deepEqual(events.slice(1).map((e) => `${e.kind} ${e.alert.rule.name}`), ['fired Changed', 'cleared Hot'], 'in the order of the rules');
    send('boiler/1/temp', 'off');
    assert.deepEqual(events.slice(3).map((e) => e.alert.reason), ['Off: boiler/1/temp is "off" (equals "off")', 'Changed: boiler/1/temp changed from "74" to "off"']);
  });

  test('"for N seconds": fires on the tick once the condition held that long, not if it stopped before', () => {
    const { events, send, clock, engine } = engineWith([{ name: 'Low', topic: 'tank', when: { below: 10, forSeconds: 5 } }]);
    send('tank', '5');
    clock.advance(3000);
    engine.tick();
    send('tank', '12');
    clock.advance(5000);
    engine.tick();
    assert.equal(events.length, 0);
    send('tank', '4');
    clock.advance(4999);
    engine.tick();
    assert.equal(events.length, 0);
    clock.advance(1);
    engine.tick();
    assert.deepEqual(kinds(events), ['fired+notify']);
    assert.equal(events[0]?.alert.reason, 'Low: tank is 4 (below 10 for 5 s)');
  });

  test('silence fires after N s without a message (counted from the connect) and clears on the next message', () => {
    const { events, send, clock, engine } = engineWith([{ name: 'Gone', topic: 'dev/+/heartbeat', when: { silentForSeconds: 10 } }]);
    clock.advance(9000);
    engine.tick();
    send('dev/a/heartbeat', '1');
    clock.advance(9999);
    engine.tick();
    assert.equal(events.length, 0);
    clock.advance(1);
    engine.tick();
    engine.tick();
    assert.deepEqual(kinds(events), ['fired+notify']);
    assert.equal(events[0]?.alert.reason, 'Gone: no message on dev/+/heartbeat for 10 s');
    send('dev/b/heartbeat', '1');
    assert.deepEqual(kinds(events), ['fired+notify', 'cleared+notify']);
    assert.equal(events[1]?.alert.clearReason, 'a message came on dev/b/heartbeat');
  });

  test('a rule fires per topic; the cooldown allows one notification and one action per rule per cooldown', () => {
    const { events, send, clock } = engineWith([{ name: 'Offline', topic: 'dev/+/status', when: { equals: 'offline' }, cooldownSeconds: 60, action: { reconnect: true } }]);
    send('dev/a/status', 'offline');
    send('dev/b/status', 'offline');
    send('dev/a/status', 'online');
    send('dev/a/status', 'offline');
    assert.deepEqual(kinds(events), ['fired+notify+act', 'fired', 'cleared+notify', 'fired']);
    clock.advance(60_000);
    send('dev/a/status', 'online');
    send('dev/a/status', 'offline');
    assert.deepEqual(kinds(events).slice(4), ['cleared', 'fired+notify+act']);
  });

  test('mute silences notifications for its time but the rule still fires and acts', () => {
    const { events, send, clock, engine } = engineWith([{ name: 'Any', topic: 'x', when: { matches: '^err' }, cooldownSeconds: 0, action: { reconnect: true } }]);
    engine.mute('Any', 3_600_000);
    send('x', 'error 1');
    assert.deepEqual(kinds(events), ['fired+act']);
    assert.equal(engine.mutedUntil('Any'), clock.now() + 3_600_000);
    clock.advance(3_600_000);
    send('x', 'ok');
    send('x', 'err again');
    assert.deepEqual(kinds(events), ['fired+act', 'cleared', 'fired+notify+act']);
  });

  test('changes: an event per change of the field on a topic', () => {
    const { events, send, engine } = engineWith([{ name: 'Mode', topic: 'm', path: 'mode', when: { changes: true } }]);
    send('m', '{"mode":"auto"}');
    send('m', '{"mode":"auto"}');
    send('m', '{"mode":"manual"}');
    assert.deepEqual(kinds(events), ['fired+notify']);
    assert.equal(events[0]?.alert.reason, 'Mode: m mode changed from "auto" to "manual"');
    assert.equal(engine.active().length, 0);
    assert.equal(engine.recent().length, 1);
  });

  test('rate above N msg/s over the window, after one full window', () => {
    const { events, send, clock, engine } = engineWith([{ name: 'Flood', topic: 'f/#', when: { rateAbove: 5, windowSeconds: 2 } }]);
    for (let s = 0; s < 4; s++) {
      for (let i = 0; i < 20; i++) send('f/a', 'x');
      clock.advance(1000);
      engine.tick();
    }
    assert.deepEqual(kinds(events), ['fired+notify']);
    assert.equal(events[0]?.alert.reason, 'Flood: 20 msg/s on f/# (above 5 msg/s)');
    clock.advance(3000);
    engine.tick();
    assert.deepEqual(kinds(events), ['fired+notify', 'cleared+notify']);
  });

  test('connection conditions: not connected for N s, K reconnects in M min, RTT above N ms', () => {
    const { events, clock, engine } = engineWith([
      { name: 'Down', connection: 'Lab', when: { disconnectedForSeconds: 30 } },
      { name: 'Flaky', when: { reconnects: { count: 2, withinMinutes: 1 } } },
      { name: 'Slow', when: { rttAboveMs: 200, hysteresis: 50 } },
    ]);
    engine.connectionState('Lab', false);
    for (let i = 0; i < 3; i++) engine.reconnecting('Lab');
    clock.advance(29_000);
    engine.tick();
    assert.deepEqual(events.map((e) => e.alert.rule.name), ['Flaky']);
    clock.advance(1000);
    engine.tick();
    assert.equal(events[1]?.alert.reason, 'Down: Lab has not been connected for 30 s');
    engine.connectionState('Lab', true);
    assert.deepEqual(kinds(events).slice(2), ['cleared+notify']);
    clock.advance(31_000);
    engine.tick();
    assert.equal(events[3]?.alert.rule.name, 'Flaky');
    assert.equal(events[3]?.kind, 'cleared');
    engine.rtt('Lab', 250);
    engine.rtt('Lab', 180);
    engine.rtt('Lab', 140);
    assert.deepEqual(events.slice(4).map((e) => `${e.alert.rule.name} ${e.kind}`), ['Slow fired', 'Slow cleared']);
  });
});

test('a publish action fills its placeholders; the untrusted-workspace sentence names the rule', () => {
  const { events, send } = engineWith([{ name: 'Hot', topic: 'boiler/+/temp', when: { above: 1 }, action: { publish: { topic: 'cmd/{rule}', payload: '{"cool":"{topic}","at":{value},"on":"{connection}"}', qos: 1, retain: true } } }]);
  send('boiler/7/temp', '5');
  const alert = events[0]?.alert ?? assert.fail('no alert');
  assert.deepEqual(plannedPublish(alert), { topic: 'cmd/Hot', payload: '{"cool":"boiler/7/temp","at":5,"on":"Lab"}', qos: 1, retain: true });
  assert.equal(untrustedActionMessage('Hot'), 'The action of alert rule "Hot" did not run: this workspace is not trusted. Trust the workspace to let alert rules publish, reconnect or run commands.');
});
