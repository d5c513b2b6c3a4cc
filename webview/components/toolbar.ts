import type { ToWebview } from '../../src/shared/protocol';
import { custom, el } from '../dom';
import { formatCount } from '../format';
import { post } from '../messaging';

type Status = Extract<ToWebview, { type: 'status' }>;

const EXPORTS = [
  { label: 'All messages as JSON Lines', format: 'jsonl', scope: 'all' },
  { label: 'All messages as CSV', format: 'csv', scope: 'all' },
  { label: 'Filtered messages as JSON Lines', format: 'jsonl', scope: 'filtered' },
  { label: 'Filtered messages as CSV', format: 'csv', scope: 'filtered' },
] as const;

/**
 * The top bar: connection name and state, the counts line, and Pause/Resume, Clear and Export.
 */
export class Toolbar {
  /** The toolbar's root element. */
  readonly element = el('div', 'toolbar');
  private readonly name = el('span', 'toolbar-name');
  private readonly state = el('span', 'toolbar-state');
  private readonly counts = el('span', 'toolbar-counts');
  private readonly pause = custom('vscode-button', undefined, 'Pause');
  private readonly menu = el('div', 'menu');
  private paused = false;

  /** @param cleared called when Clear is clicked (the host then starts a new view). */
  constructor(private readonly cleared: () => void) {
    const title = el('div', 'toolbar-title');
    title.append(this.name, this.state);
    const actions = el('div', 'toolbar-actions');
    const clear = custom('vscode-button', undefined, 'Clear');
    const exportButton = custom('vscode-button', undefined, 'Export ▾');
    for (const b of [this.pause, clear, exportButton]) b.setAttribute('appearance', 'secondary');
    this.pause.title = 'Stop adding new messages to the list (they are still recorded)';
    clear.title = 'Delete the recorded history of this connection';
    exportButton.setAttribute('aria-haspopup', 'menu');
    this.pause.addEventListener('click', () => post({ type: 'setPaused', paused: !this.paused }));
    clear.addEventListener('click', () => {
      this.cleared();
      post({ type: 'clear' });
    });
    exportButton.addEventListener('click', (e) => {
      e.stopPropagation();
      this.toggleMenu();
    });
    this.buildMenu();
    const exportWrap = el('div', 'menu-anchor');
    exportWrap.append(exportButton, this.menu);
    actions.append(this.pause, clear, exportWrap);
    this.element.append(title, this.counts, actions);
    document.addEventListener('click', () => this.toggleMenu(false));
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.toggleMenu(false);
    });
  }

  /** Shows the connection name (from `init`). */
  setConnection(name: string, paused: boolean): void {
    this.name.textContent = name;
    this.setPaused(paused);
  }

  /** Shows counts, dropped messages, pause and connection state from a `status`. */
  setStatus(status: Status): void {
    this.setPaused(status.paused);
    this.state.textContent = status.connectionState;
    this.state.dataset.state = status.connectionState.split(/\s/)[0].toLowerCase();
    const parts = [`${formatCount(status.total)} message${status.total === 1 ? '' : 's'}`, `showing ${formatCount(status.count)}`];
    if (status.dropped > 0) parts.push(`${formatCount(status.dropped)} older message${status.dropped === 1 ? ' was' : 's were'} dropped (limits)`);
    if (status.paused) parts.push('paused');
    this.counts.textContent = parts.join(' · ');
  }

  private setPaused(paused: boolean): void {
    this.paused = paused;
    this.pause.textContent = paused ? 'Resume' : 'Pause';
    this.element.classList.toggle('paused', paused);
  }

  private buildMenu(): void {
    this.menu.setAttribute('role', 'menu');
    this.menu.hidden = true;
    for (const item of EXPORTS) {
      const entry = el('button', 'menu-item', item.label);
      entry.setAttribute('role', 'menuitem');
      entry.addEventListener('click', () => {
        this.toggleMenu(false);
        post({ type: 'export', format: item.format, scope: item.scope });
      });
      this.menu.appendChild(entry);
    }
  }

  private toggleMenu(open = this.menu.hidden): void {
    this.menu.hidden = !open;
    if (open) this.menu.querySelector<HTMLElement>('.menu-item')?.focus();
  }
}
