import * as vscode from 'vscode';
import { FieldReader } from '../../core/fieldReader';
import { readPublishFields, type PublishFields } from '../../core/publish/publishArgument';
import type { Logger } from '../log';
import { guarded, presetFromArgument, resolvePublish } from './publishCommand';
import { buildPublish, type PublishServices } from './publishSend';
import { labelText } from '../views/markdownText';

/** Limits of a repeat, also the JSON schema's. */
const MAX_COUNT = 1_000_000;
const MAX_INTERVAL_MS = 86_400_000;

/** A repeat: the publish fields plus `intervalMs` and `count`. */
interface RepeatFields extends PublishFields {
  intervalMs?: number;
  count?: number;
}

function readRepeatArgument(value: unknown): { fields: RepeatFields; problems: string[] } {
  const problems: string[] = [];
  const reader = FieldReader.object(value, 'publishRepeatedly', problems);
  if (!reader) return { fields: {}, problems };
  const fields: RepeatFields = { ...readPublishFields(reader), intervalMs: reader.integer('intervalMs', 0, MAX_INTERVAL_MS), count: reader.integer('count', 1, MAX_COUNT) };
  reader.rejectUnknownFields();
  return { fields, problems };
}

async function askNumber(title: string, prompt: string, value: string, min: number, max: number): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    title,
    prompt,
    value,
    ignoreFocusOut: true,
    validateInput: (v) => (/^\d+$/.test(v.trim()) && Number(v) >= min && Number(v) <= max ? undefined : `A whole number from ${min} to ${max.toLocaleString('en-US')}.`),
  });
  return text === undefined ? undefined : Number(text.trim());
}

/** Waits `ms`, or less when cancelled. */
function pause(ms: number, token: vscode.CancellationToken): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    const listener = token.onCancellationRequested(done);
    function done(): void {
      clearTimeout(timer);
      listener.dispose();
      resolve();
    }
  });
}

/**
 * `mqttWorkbench.publishRepeatedly`: the same message every `intervalMs`, `count` times, with progress and Cancel.
 * Messages published while the connection is down are queued like any other. Resolves with a summary.
 */
export function registerRepeatCommand(services: PublishServices, log: Logger): vscode.Disposable {
  return vscode.commands.registerCommand(
    'mqttWorkbench.publishRepeatedly',
    guarded(log, 'Publish Repeatedly', async (argument) => {
      const preset = presetFromArgument(argument, readRepeatArgument) as RepeatFields;
      const { intervalMs: givenInterval, count: givenCount, ...publishPreset } = preset;
      const resolved = await resolvePublish(services, publishPreset, { title: 'Publish Repeatedly' });
      if (!resolved) return undefined;
      const built = await buildPublish(services, resolved.connection, resolved.fields, 'publishRepeatedly');
      const title = `Publish Repeatedly to ${built.topic}`;
      const intervalMs = givenInterval ?? (await askNumber(title, 'Milliseconds between messages', '1000', 0, MAX_INTERVAL_MS));
      if (intervalMs === undefined) return undefined;
      const count = givenCount ?? (await askNumber(title, 'How many messages', '10', 1, MAX_COUNT));
      if (count === undefined) return undefined;
      services.history.remember(resolved.fields);
      const tally = { sent: 0, queued: 0, failed: 0 };
      let lastError = '';
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
        const started = Date.now();
        for (let i = 0; i < count && !token.isCancellationRequested; i++) {
          try {
            const outcome = await services.connections.publishOrQueue(resolved.connection, built);
            if ('summary' in outcome) tally.sent++;
            else tally.queued++;
          } catch (error) {
            tally.failed++;
            lastError = error instanceof Error ? error.message : String(error);
          }
          progress.report({ increment: 100 / count, message: `${i + 1} of ${count}` });
          if (i + 1 < count) await pause(Math.max(0, started + (i + 1) * intervalMs - Date.now()), token);
        }
      });
      const done = tally.sent + tally.queued + tally.failed;
      const summary = `${done === count ? 'Published' : `Stopped after`} ${done} of ${count} to ${built.topic}: ${tally.sent} sent, ${tally.queued} queued, ${tally.failed} failed${lastError ? ` (${lastError})` : ''}.`;
      log.info(summary);
      vscode.window.setStatusBarMessage(`$(check) MQTT ${labelText(summary)}`, 8000);
      return summary;
    }),
  );
}
