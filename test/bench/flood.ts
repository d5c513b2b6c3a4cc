// A device fleet flooding a broker at a fixed rate, run as its own process by the vscode-load benchmark (so its
// work is not the extension host's): QoS 1 publishes of 64-byte payloads over 1,000 topics
// (load/site<0-9>/device<0-99>) for a number of seconds, paced every 10 ms. Prints one JSON line,
// {"published","acked","seconds"}, when every publish was acknowledged, or a minute after the flood with what
// was acknowledged by then.
// Usage: node out/test/bench/flood.js <port> <msgs per second> <seconds>
import { performance } from 'node:perf_hooks';
import { connect } from 'mqtt';

const [port, rate, seconds] = process.argv.slice(2).map(Number);
const TICK_MS = 10;
const payload = Buffer.alloc(64, 0x2a);
// MQTT 3.1.1: no Receive Maximum, so the broker takes the publishes as fast as they come rather than 20 at a time.
const client = connect({ host: '127.0.0.1', port, protocolVersion: 4, clientId: `load-flood-${process.pid}`, reconnectPeriod: 1000 });
/** Never hangs: after the flood and a minute more it reports what was acknowledged so far. */
const GIVE_UP_MS = (seconds + 60) * 1000;
let published = 0;
let acked = 0;
let errors = 0;
const report = (started: number): void => {
  console.log(JSON.stringify({ published, acked, seconds: Math.round((performance.now() - started) / 100) / 10 }));
  client.end(true);
  process.exit(0);
};
client.once('connect', () => {
  const started = performance.now();
  setTimeout(() => report(started), GIVE_UP_MS).unref();
  const tick = setInterval(() => {
    const due = Math.min(rate * seconds, Math.floor(((performance.now() - started) / 1000) * rate));
    while (published < due) {
      const i = published++;
      client.publish(`load/site${Math.floor((i % 1000) / 100)}/device${i % 100}`, payload, { qos: 1 }, (error) => (error ? errors++ : acked++));
    }
    if (published >= rate * seconds) {
      clearInterval(tick);
      const finish = setInterval(() => {
        if (acked + errors < published) return;
        clearInterval(finish);
        report(started);
      }, 50);
    }
  }, TICK_MS);
});
