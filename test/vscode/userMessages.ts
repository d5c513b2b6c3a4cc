// What the extension told the user: every failure a command reports is shown as a notification AND written to
// the "MQTT Workbench" log with the same sentence (see reportFailure). The extension host test reads the log file
// that VS Code writes under the test's user data folder, so a test can assert the exact message.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const LOG_NAME = 'MQTT Workbench.log';

function logFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return logFiles(path);
    return entry.name === LOG_NAME ? [path] : [];
  });
}

/** The newest "MQTT Workbench" log of this test run's user data folder. */
function currentLog(): string {
  const userData = process.env.MQTT_WORKBENCH_USER_DATA;
  if (!userData) throw new Error('MQTT_WORKBENCH_USER_DATA is not set in the extension host');
  const files = logFiles(join(userData, 'logs')).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (files.length === 0) throw new Error(`no "${LOG_NAME}" under ${userData}/logs`);
  return files[0] ?? '';
}

/** Waits until VS Code has created the log file (it does so a moment after the extension first logs). */
export async function waitForLog(timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      currentLog();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Lines of the log so far; pass the result to {@link waitForUserMessage} to only look at what comes after. */
export function logMark(): number {
  return readFileSync(currentLog(), 'utf8').split('\n').length - 1;
}

/** Polls the log for a `[level]` line after `since` that ends with `message` (or matches it); returns the line. */
async function waitForLogLine(level: 'error' | 'warning' | 'info', message: string | RegExp, since: number, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let lines: string[] = [];
  while (Date.now() < deadline) {
    lines = readFileSync(currentLog(), 'utf8').split('\n').slice(since).filter((line) => line.includes(`[${level}]`));
    const found = lines.find((line) => (typeof message === 'string' ? line.endsWith(message) : message.test(line)));
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`The user was not shown "${String(message)}". ${level} lines in the log: ${lines.length === 0 ? 'none' : `\n${lines.join('\n')}`}`);
}

/**
 * Waits until an error line after `since` ends with `message` (the sentence shown to the user; or matches it,
 * when a RegExp) and returns it;
 * fails with the error lines it saw instead. VS Code writes the log file with a short delay.
 */
export function waitForUserMessage(message: string | RegExp, since = 0, timeoutMs = 5_000): Promise<string> {
  return waitForLogLine('error', message, since, timeoutMs);
}

/**
 * Waits until a warning line after `since` ends with `message`: a problem in the settings, logged with the
 * sentence the Connections view shows in the tooltip of the entry.
 */
export function waitForSettingsProblem(message: string, since = 0, timeoutMs = 5_000): Promise<string> {
  return waitForLogLine('warning', message, since, timeoutMs);
}

/** Waits until an info line after `since` matches `pattern` (what a service logs as it works) and returns it. */
export function waitForLogInfo(pattern: RegExp, since = 0, timeoutMs = 10_000): Promise<string> {
  return waitForLogLine('info', pattern, since, timeoutMs);
}
