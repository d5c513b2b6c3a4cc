import type { CaptureInfo } from '../../src/shared/protocol';
import { custom, el } from '../dom';
import { formatCount, formatDateTime } from '../format';
import { post } from '../messaging';

/** "01:23", "1:02:03". */
function duration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const two = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(total / 3600);
  return h > 0 ? `${h}:${two(Math.floor((total % 3600) / 60))}:${two(total % 60)}` : `${two(Math.floor(total / 60))}:${two(total % 60)}`;
}

/**
 * The capture editor's header: where and when it was recorded, duration, message and topic counts, the rate over
 * time as bars (with the replay cursor), the busiest topics, damaged lines, a Replay button, and Pause / Resume
 * while a replay of it runs.
 */
export class TimelineHeader {
  readonly element = el('section', 'timeline');
  private readonly title = el('div', 'timeline-title');
  private readonly figures = el('div', 'timeline-figures');
  private readonly bars = el('div', 'timeline-bars');
  private readonly cursor = el('div', 'timeline-cursor');
  private readonly topics = el('div', 'timeline-topics');
  private readonly problems = el('div', 'timeline-problems');
  private readonly pause = custom('vscode-button', 'timeline-pause', 'Pause');
  private info: CaptureInfo | undefined;

  constructor() {
    this.element.hidden = true;
    this.element.setAttribute('aria-label', 'Capture timeline');
    const replay = custom('vscode-button', 'timeline-replay', 'Replay…');
    replay.title = 'Publish this capture to a connection with its recorded timing';
    replay.addEventListener('click', () => post({ type: 'replay' }));
    this.pause.setAttribute('appearance', 'secondary');
    this.pause.hidden = true;
    this.pause.addEventListener('click', () => post({ type: 'pauseReplay' }));
    const actions = el('div', 'timeline-actions');
    actions.append(this.pause, replay);
    const top = el('div', 'timeline-top');
    top.append(this.title, actions);
    this.bars.setAttribute('role', 'img');
    this.cursor.hidden = true;
    const chart = el('div', 'timeline-chart');
    chart.append(this.bars, this.cursor);
    this.element.append(top, this.figures, chart, this.topics, this.problems);
  }

  /** Shows (or updates) the figures of the capture. */
  show(info: CaptureInfo): void {
    this.info = info;
    this.element.hidden = false;
    this.title.textContent = `Recorded from ${info.connection || 'an unknown connection'}${info.broker ? ` (${info.broker})` : ''}${info.startedAtMs ? ` on ${formatDateTime(info.startedAtMs)}` : ''}`;
    const parts = [`${formatCount(info.messages)} message${info.messages === 1 ? '' : 's'}`];
    if (info.complete) {
      parts.push(duration(info.durationMs), `${formatCount(info.topicCount)} topic${info.topicCount === 1 ? '' : 's'}`);
      const seconds = info.durationMs / 1000;
      if (seconds > 0) parts.push(`${(info.messages / seconds).toFixed(1)} msg/s average`);
      if (info.gaps > 0) parts.push(`${info.gaps} gap${info.gaps === 1 ? '' : 's'} (reconnects)`);
    } else {
      parts.push('reading…');
    }
    this.figures.textContent = parts.join(' · ');
    const most = Math.max(1, ...info.rate);
    this.bars.replaceChildren(
      ...info.rate.map((count, i) => {
        const bar = el('div', 'timeline-bar');
        bar.style.height = `${Math.max(count > 0 ? 4 : 0, (count / most) * 100)}%`;
        bar.title = `${formatCount(count)} messages around ${duration((info.durationMs * (i + 0.5)) / info.rate.length)}`;
        return bar;
      }),
    );
    this.bars.setAttribute('aria-label', `Messages over time, ${info.rate.length} bars`);
    this.topics.textContent = info.topics.length > 0 ? `Busiest: ${info.topics.map((t) => `${t.topic} (${formatCount(t.count)})`).join(' · ')}` : '';
    this.problems.textContent = info.problems > 0 ? `${formatCount(info.problems)} damaged line${info.problems === 1 ? ' was' : 's were'} skipped. First: ${info.firstProblem ?? ''}` : (info.firstProblem ?? '');
    this.problems.hidden = this.problems.textContent === '';
  }

  /** Moves the replay cursor to `t` microseconds since the start; Pause/Resume shows while the replay runs. */
  setCursor(t: number, state: 'running' | 'paused' | 'done'): void {
    this.pause.hidden = state === 'done';
    this.pause.textContent = state === 'paused' ? 'Resume' : 'Pause';
    this.pause.title = state === 'paused' ? 'Go on with the replay where it paused' : 'Pause the replay (the schedule waits)';
    const info = this.info;
    if (!info || info.durationMs <= 0) return;
    this.cursor.hidden = false;
    this.cursor.style.left = `${Math.min(100, Math.max(0, (t / 1000 / info.durationMs) * 100))}%`;
  }
}
