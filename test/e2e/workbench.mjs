// Shared plumbing of the UI tests: a real VS Code (code-server) with the extension under development and a
// workspace whose settings the test chooses, driven by Chromium; plus the few gestures the tests repeat.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DEFAULT_USER_SETTINGS, REPO, developmentUrl, ensureTestHost, extensionLink, launchChromium, startCodeServer } from '../../scripts/code-server.mjs';

/**
 * Opens VS Code on a fresh workspace with `settings` in .vscode/settings.json and `files` (relative path ->
 * text) written into the folder; `userSettings` go to the profile, and `workspaceTrust` turns VS Code's
 * workspace trust on (off by default, so the folder is trusted). Screenshots, VS Code's logs and
 * the browser console go to test-results/e2e/<name>/. Returns the page and `close()`, which undoes everything.
 */
export async function openWorkbench({ name, settings, files = {}, userSettings = DEFAULT_USER_SETTINGS, workspaceTrust = false }) {
  const host = await ensureTestHost();
  if (host.vscode !== undefined) throw new Error(`the VS Code test host is not available: ${host.vscode}`);
  const shots = join(REPO, 'test-results', 'e2e', name);
  rmSync(shots, { recursive: true, force: true });
  mkdirSync(shots, { recursive: true });
  const cleanups = [];
  const close = () => runCleanups(cleanups);
  try {
    const temp = mkdtempSync(join(tmpdir(), 'mqtt-workbench-e2e-'));
    cleanups.push(() => rmSync(temp, { recursive: true, force: true }));
    const workspace = join(temp, 'firmware');
    mkdirSync(join(workspace, '.vscode'), { recursive: true });
    writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(workspace, path)), { recursive: true });
      writeFileSync(join(workspace, path), text);
    }
    const userDataDir = join(temp, 'user-data');
    // Keep VS Code's own logs (extension host included) with the screenshots; the temp dir goes away.
    cleanups.push(() => existsSync(join(userDataDir, 'logs')) && cpSync(join(userDataDir, 'logs'), join(shots, 'logs'), { recursive: true }));
    const server = await startCodeServer({ workspace, userDataDir, userSettings, workspaceTrust, extensionsDir: join(temp, 'extensions'), logFile: join(shots, 'code-server.log') });
    cleanups.push(() => server.stop());
    const browser = await launchChromium();
    cleanups.push(() => browser.close());
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const consoleLines = [];
    page.on('console', (message) => ['error', 'warning'].includes(message.type()) && consoleLines.push(`[${message.type()}] ${message.text()}`));
    cleanups.push(() => writeFileSync(join(shots, 'browser-console.log'), consoleLines.join('\n')));
    await page.goto(developmentUrl({ port: server.port, workspace, extensionPath: extensionLink(temp) }));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The workbench draws before the extensions are scanned; our activity-bar entry means our commands exist.
    await page.locator('.activitybar a.action-label[aria-label="MQTT Workbench"]').waitFor({ timeout: 60_000 });
    return { page, shots, close, cleanups, workspace, userDataDir };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Runs the cleanups last-first (each failure is printed, the rest still run), emptying the list. */
export async function runCleanups(cleanups) {
  while (cleanups.length > 0) {
    const cleanup = cleanups.pop();
    await Promise.resolve().then(cleanup).catch((error) => console.error(`cleanup: ${error.message}`));
  }
}

/** The row of one of our tree views ("Connections", "Topics") whose label is exactly `label`. */
export function treeRow(page, view, label) {
  const escaped = label.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return page
    .locator(`[id="workbench.view.extension.mqttWorkbench"] .pane:has(.pane-header[aria-label="${view} Section"]) .monaco-list-row`)
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escaped}$`) }) });
}

/**
 * Expands the rows `path` (labels, outermost first) of a tree view until `child` shows below the last one. A row
 * that is redrawn while it is read (a refresh after a filter change, a loaded machine) can report an old
 * `aria-expanded`, and a click on it then collapses it: so look again, and click again, until the child is there.
 */
export async function expandTreePath(page, view, path, child, timeoutMs = 30_000) {
  const target = treeRow(page, view, child).first();
  const deadline = Date.now() + timeoutMs;
  while (!(await target.isVisible())) {
    if (Date.now() > deadline) throw new Error(`"${child}" did not show in the ${view} view below ${path.join(' / ')}.`);
    // Each step waits a little only: a parent collapsed by a click on its stale row hides the rest of the path, and
    // the next round from the top opens it again.
    for (const label of path) {
      const node = treeRow(page, view, label).first();
      if (!(await node.waitFor({ timeout: 2_000 }).then(() => true, () => false))) break;
      if ((await node.getAttribute('aria-expanded')) !== 'true') await node.click();
    }
    await target.waitFor({ timeout: 2_000 }).catch(() => undefined);
  }
}

/** Opens a workspace file the way a person does: Quick Open, type, Enter. */
export async function openWorkspaceFile(page, name) {
  // Focus the workbench, not a webview (a preview or the dashboard would keep Ctrl+P); on a loaded machine the
  // quick open can be redrawn under the pointer, so try again from the start.
  for (let attempt = 1; ; attempt++) {
    await page.locator('.part.sidebar .composite.title').click();
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input.input').fill(name);
    try {
      await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: name }).filter({ visible: true }).first().click({ timeout: 10_000 });
      await page.locator('.tab.active').filter({ hasText: name }).waitFor({ timeout: 10_000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
      await page.keyboard.press('Escape');
    }
  }
}

/** Waits for the quick input showing `text` (a prompt or title), types `value` into it and presses Enter. */
export async function answerQuickInput(page, text, value) {
  const widget = page.locator('.quick-input-widget');
  await widget.getByText(text).first().waitFor({ timeout: 10_000 });
  const field = widget.locator('input.input');
  await field.fill(value);
  await field.press('Enter');
}

/** Runs a command from the palette (F1), picking the entry whose label starts with `title`. */
export async function runCommand(page, title) {
  await page.keyboard.press('F1');
  await page.keyboard.type(title);
  await page.locator(`.quick-input-list .monaco-list-row[aria-label^="${title}"]`).first().click();
}

/**
 * Reloads the window the way a person does (F1, "Developer: Reload Window") and resolves once the new page has
 * loaded and shows the MQTT Workbench activity. Waiting for the page's load event first matters: right after the
 * command the old page (and its webview frames, about to be detached) is still there.
 */
export async function reloadWindow(page) {
  const loaded = page.waitForEvent('load', { timeout: 60_000 });
  await runCommand(page, 'Developer: Reload Window');
  await loaded;
  await page.locator('.activitybar a.action-label[aria-label="MQTT Workbench"]').waitFor({ timeout: 60_000 });
}

/**
 * Switches the color theme the way a person does: F1, "Preferences: Color Theme", pick one; resolves once the
 * workbench wears it (`kind`: 'vs' light, 'vs-dark' dark) and webviews had time to restyle.
 */
export async function setColorTheme(page, name, kind) {
  // On a loaded machine the picker can be redrawn under the pointer (its first list is then hidden): open it again.
  for (let attempt = 1; ; attempt++) {
    await runCommand(page, 'Preferences: Color Theme');
    await page.keyboard.type(name);
    const row = page.locator(`.quick-input-widget .quick-input-list .monaco-list-row[aria-label^="${name}"]`).filter({ visible: true }).first();
    try {
      await row.click({ timeout: 15_000 });
      break;
    } catch (error) {
      if (attempt === 3) throw error;
      await page.keyboard.press('Escape');
    }
  }
  await page.locator(`.monaco-workbench.${kind}`).waitFor({ timeout: 15_000 });
  await page.waitForTimeout(800);
}

/** Drags the sash right of the sidebar so descriptions fit, as a person would. */
export async function widenSidebar(page, width) {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) return;
  await page.mouse.move(box.x + box.width + 1, box.y + 200);
  await page.mouse.down();
  await page.mouse.move(box.x + width, box.y + 200, { steps: 5 });
  await page.mouse.up();
}

/** A screenshot of the page as it is when a test ends, named after the test (the first thing to look at). */
export async function screenshotEnd(page, shots, testName) {
  await page?.screenshot({ path: join(shots, `end-${testName.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`) }).catch(() => undefined);
}

/** Waits until the extension's log (the file VS Code writes in the profile of `workbench`) has a line containing `text`. */
export async function waitForLogLine(workbench, text, timeoutMs = 15_000) {
  const logs = join(workbench.userDataDir, 'logs');
  const read = (dir) =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return read(path);
      return entry.name === 'MQTT Workbench.log' ? [readFileSync(path, 'utf8')] : [];
    });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(logs) && read(logs).some((log) => log.includes(text))) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`The extension's log has no line with: ${text}`);
}

/** The frame of the message panel's webview (VS Code nests it in two iframes); waits for it to appear. */
export async function panelFrame(page) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    for (const candidate of page.frames()) {
      if ((await candidate.locator('[role="listbox"][aria-label="Messages"]').count().catch(() => 0)) > 0) return candidate;
    }
    await page.waitForTimeout(200);
  }
  throw new Error('The message panel did not appear.');
}

/** The rows of the message panel's list that show a message (not placeholders). */
export function panelRows(frame) {
  return frame.locator('[role="listbox"][aria-label="Messages"] [role="option"]:not(.loading):not([hidden])');
}

/** Waits until the message panel's list shows exactly `count` rows. */
export async function waitForPanelRows(frame, count) {
  await frame.waitForFunction((n) => document.querySelectorAll('[aria-label="Messages"] [role="option"]:not(.loading):not([hidden])').length === n, count, { timeout: 15_000 });
}

/**
 * Types into a toolkit text field of the panel as a person does: click it, select what is there, type over it.
 * The toolkit copies the field's value back into its input on the next animation frame, so a key typed in the
 * same frame as the Backspace can be overwritten (no person types that fast): wait for the frame first.
 */
export async function typeIntoPanelField(frame, className, text) {
  const input = frame.locator(`vscode-text-field.${className} input`);
  await input.click();
  await input.press('Control+A');
  await input.press('Backspace');
  await nextFrames(frame);
  await input.pressSequentially(text, { delay: 20 });
  await nextFrames(frame);
  const typed = await input.inputValue();
  if (typed !== text) throw new Error(`Typed "${text}" into .${className}, but it holds "${typed}".`);
}

/** Resolves after the frame has drawn twice (the toolkit's pending updates are done). */
function nextFrames(frame) {
  return frame.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/** Picks `label` in one of the panel's toolkit dropdowns (`selector`), as a person does. */
export async function chooseInDropdown(frame, selector, label) {
  const dropdown = frame.locator(selector);
  await dropdown.click();
  await dropdown.locator('vscode-option', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }).click();
}

/** Opens the MQTT Workbench sidebar (widened to `width`) and connects `name` with its inline Connect action. */
export async function connectInSidebar(page, name, width) {
  await page.locator('.activitybar a.action-label[aria-label^="MQTT Workbench"]').click();
  await widenSidebar(page, width);
  const connection = treeRow(page, 'Connections', name);
  await connection.waitFor({ timeout: 30_000 });
  await connection.hover();
  await connection.locator('.action-label[aria-label="Connect"]').click();
  await connection.filter({ hasText: '· connected' }).waitFor({ timeout: 20_000 });
}
