/**
 * Benchmark of what crosses to the message panel while a broker floods the connection: messages are appended
 * to the history at 50,000 per second for 5 seconds while a PanelFeed ticks every 100 ms like the host's
 * timer, and a stand-in webview follows the newest rows: it asked for them with `follow`, so each status carries
 * the visible 35 (a webview that did not would ask for them after every status: counted as row replies).
 * Prints the posts per second, the bytes posted, and the append rate reached. Ends with one JSON line.
 *
 * Run: node out/test/bench/panelFeed.bench.js. No assertions on timing: figures depend on the machine.
 */
import { MessageHistory } from '../../src/core/history';
import { PanelFeed } from '../../src/core/history/panelFeed';
import type { MqttMessage } from '../../src/shared/mqttMessage';
import { round } from './measure';

const RATE = 50_000;
const SECONDS = 5;
const TICK_MS = 100;
const VISIBLE_ROWS = 35;
const TOPICS = 1_000;

const encoder = new TextEncoder();
let seq = 0;
function message(): MqttMessage {
  const i = seq++;
  const payload = encoder.encode(`{"seq":${i},"value":${(i % 1000) / 10},"unit":"C","pad":"${'x'.repeat(20)}"}`);
  return { topic: `site/device${i % TOPICS}/temp`, payload, qos: 0, retain: false, dup: false, direction: 'in', receivedAt: Date.now(), seq: i };
}

async function main(): Promise<void> {
  const history = new MessageHistory();
  let statusPosts = 0;
  let rowPosts = 0;
  let bytesPosted = 0;
  const feed: PanelFeed = new PanelFeed(
    () => history,
    () => 'connected',
    (status) => {
      statusPosts++;
      bytesPosted += JSON.stringify(status).length;
      if (status.tail !== undefined) return;
      const rows = feed.rows(status.offset + Math.max(0, status.count - VISIBLE_ROWS), VISIBLE_ROWS);
      rowPosts++;
      bytesPosted += JSON.stringify(rows).length;
    },
  );
  feed.follow(VISIBLE_ROWS);
  const timer = setInterval(() => feed.tick(), TICK_MS);
  const started = performance.now();
  let appended = 0;
  await new Promise<void>((resolve) => {
    const produce = (): void => {
      const elapsed = performance.now() - started;
      if (elapsed >= SECONDS * 1000) return resolve();
      const due = Math.floor((elapsed / 1000) * RATE);
      for (; appended < due; appended++) history.append(message());
      setImmediate(produce);
    };
    produce();
  });
  clearInterval(timer);
  const seconds = (performance.now() - started) / 1000;
  const figures = {
    offeredMsgsPerSec: RATE,
    appendedMsgsPerSec: Math.round(appended / seconds),
    statusPostsPerSec: round(statusPosts / seconds, 1),
    rowReplyPostsPerSec: round(rowPosts / seconds, 1),
    webviewPostsPerSec: round((statusPosts + rowPosts) / seconds, 1),
    kbPostedPerSec: round(bytesPosted / seconds / 1024, 1),
    historyKept: history.size,
    historyDropped: history.droppedCount,
  };
  console.log(`${appended.toLocaleString('en-US')} messages in ${seconds.toFixed(1)} s (${figures.appendedMsgsPerSec.toLocaleString('en-US')}/s): ${figures.statusPostsPerSec} status posts/s + ${figures.rowReplyPostsPerSec} row replies/s, ${figures.kbPostedPerSec} KB/s to the webview`);
  console.log(JSON.stringify(figures));
}

void main();
