import type { HistoryRow } from '../../src/shared/protocol';
import { el } from '../dom';
import { createHeader, createRowElement, ROW_HEIGHT, updateRowElement, type RowElement } from './listRow';
import { RowSource } from './rowSource';

/** Rows rendered above and below the viewport so a fast scroll shows no gap. */
const OVERSCAN = 8;
/** Tallest scroll height used; longer lists map scrollTop onto rows proportionally (browsers cap heights). */
const MAX_SCROLL_PX = 10_000_000;

/** What the list tells its owner. */
export interface VirtualListEvents {
  /** A row was selected (click or keyboard). */
  select(row: HistoryRow): void;
  /** Enter or double click on the selected row. */
  open(row: HistoryRow): void;
  /** Scroll position or follow mode changed (for saving the view state). */
  scrolled(scrollTop: number, follow: boolean): void;
}

/**
 * The history list: a virtual list of fixed-height rows. Only the visible rows (plus a small overscan)
 * exist in the DOM, recycled by index; a spacer gives the scroll height. Rows are fetched through a
 * {@link RowSource} for the viewport only, so a million entries scroll like a hundred.
 */
export class VirtualList {
  /** The list's root element (header, scroll area, "new messages" button). */
  readonly element = el('div', 'list');
  /** Row cache and requests. */
  readonly rows = new RowSource(() => this.schedule());
  /** True while the list sticks to the newest (last) row. */
  follow = true;
  private readonly scroller = el('div', 'list-scroll');
  private readonly spacer = el('div', 'list-spacer');
  private readonly empty = el('div', 'list-empty');
  private readonly newButton = el('button', 'list-new', '↓ New messages');
  private readonly pool: RowElement[] = [];
  private count = 0;
  private offset = 0;
  private countAtUnfollow = 0;
  private selectedId: number | undefined;
  private selectedIndex: number | undefined;
  private pendingSelect: number | undefined;
  private frame = 0;

  constructor(private readonly events: VirtualListEvents) {
    this.scroller.tabIndex = 0;
    this.scroller.setAttribute('role', 'listbox');
    this.scroller.setAttribute('aria-label', 'Messages');
    this.scroller.appendChild(this.spacer);
    this.element.append(createHeader(), this.scroller, this.empty, this.newButton);
    this.newButton.hidden = true;
    this.newButton.addEventListener('click', () => this.scrollToEnd());
    this.scroller.addEventListener('scroll', () => this.onScroll(), { passive: true });
    this.scroller.addEventListener('keydown', (e) => this.onKey(e));
    this.spacer.addEventListener('mousedown', (e) => this.onClick(e, false));
    this.spacer.addEventListener('dblclick', (e) => this.onClick(e, true));
    new ResizeObserver(() => this.render()).observe(this.scroller);
  }

  /** Number of row elements in the DOM (for checks: stays near the visible row count). */
  get renderedRows(): number {
    return this.pool.length;
  }

  /** New count/offset from a status; keeps the top row in place when old rows are evicted. */
  setModel(count: number, offset: number): void {
    const evicted = offset - this.offset;
    if (evicted > 0 && !this.follow && this.count > 0) {
      this.scroller.scrollTop = Math.max(0, this.scroller.scrollTop - (evicted * ROW_HEIGHT) / this.scale());
    }
    this.count = count;
    this.offset = offset;
    this.spacer.style.height = `${Math.min(count * ROW_HEIGHT, MAX_SCROLL_PX)}px`;
    if (this.follow) this.scroller.scrollTop = this.scroller.scrollHeight;
    this.render();
  }

  /** Forgets all cached rows (the host's view changed: new filter, cleared history). */
  reset(): void {
    this.rows.reset();
    this.selectedIndex = undefined;
    this.pendingSelect = undefined;
    this.schedule();
  }

  /** Text shown over an empty list. */
  setEmptyText(text: string): void {
    this.empty.textContent = text;
  }

  /** Marks a message as selected by id (restored state); the row is highlighted when it is shown. */
  setSelectedId(id: number | undefined): void {
    this.selectedId = id;
    this.schedule();
  }

  /** Restores a saved scroll position (once the count is known). */
  restoreScroll(scrollTop: number, follow: boolean): void {
    this.follow = follow;
    this.countAtUnfollow = this.count;
    this.scroller.scrollTop = follow ? this.scroller.scrollHeight : scrollTop;
    this.render();
  }

  /** Moves keyboard focus into the list. */
  focus(): void {
    this.scroller.focus();
  }

  /** Jumps to the newest row and follows new ones. */
  scrollToEnd(): void {
    this.follow = true;
    this.scroller.scrollTop = this.scroller.scrollHeight;
    this.render();
  }

  private scale(): number {
    const total = this.count * ROW_HEIGHT;
    const height = this.scroller.clientHeight;
    return total > MAX_SCROLL_PX && MAX_SCROLL_PX > height ? (total - height) / (MAX_SCROLL_PX - height) : 1;
  }

  private atBottom(): boolean {
    const s = this.scroller;
    return s.scrollTop + s.clientHeight >= s.scrollHeight - 2;
  }

  private onScroll(): void {
    const follow = this.atBottom();
    if (this.follow && !follow) this.countAtUnfollow = this.count;
    this.follow = follow;
    this.render();
    this.events.scrolled(this.scroller.scrollTop, this.follow);
  }

  private schedule(): void {
    if (this.frame === 0) this.frame = requestAnimationFrame(() => this.render());
  }

  /** Places the visible rows, recycling elements, and asks for the ones not cached. */
  private render(): void {
    if (this.frame !== 0) cancelAnimationFrame(this.frame);
    this.frame = 0;
    const height = this.scroller.clientHeight;
    const scrollTop = this.scroller.scrollTop;
    const contentTop = scrollTop * this.scale();
    const first = Math.max(0, Math.floor(contentTop / ROW_HEIGHT) - OVERSCAN);
    const end = Math.min(this.count, Math.ceil((contentTop + height) / ROW_HEIGHT) + OVERSCAN);
    const needed = Math.ceil(height / ROW_HEIGHT) + 2 * OVERSCAN + 1;
    if (this.pool.length < needed) {
      while (this.pool.length < needed) {
        const element = createRowElement();
        element.root.hidden = true;
        this.pool.push(element);
        this.spacer.appendChild(element.root);
      }
      for (const r of this.pool) r.index = -1; // the modulus changed: reassign every element
    }
    if (this.pendingSelect !== undefined) {
      const row = this.rows.get(this.pendingSelect);
      if (row) this.choose(row, this.pendingSelect);
    }
    const used = new Set<RowElement>();
    for (let position = first; position < end; position++) {
      const index = this.offset + position;
      const element = this.pool[index % this.pool.length];
      const row = this.rows.get(index);
      updateRowElement(element, index, row, row !== undefined && row.id === this.selectedId);
      element.root.style.transform = `translateY(${position * ROW_HEIGHT - contentTop + scrollTop}px)`;
      element.root.hidden = false;
      used.add(element);
    }
    for (const r of this.pool) {
      if (used.has(r) || r.root.hidden) continue;
      r.root.hidden = true;
      r.index = -1;
    }
    this.rows.follow(this.follow ? end - first : 0);
    if (end > first) this.rows.ensure(this.offset + first, this.offset + end);
    this.empty.hidden = this.count > 0;
    this.newButton.hidden = this.follow || this.count === 0 || this.atBottom();
    this.newButton.textContent = this.count > this.countAtUnfollow ? '↓ New messages' : '↓ Newest';
  }

  private onClick(event: MouseEvent, open: boolean): void {
    const target = event.target instanceof Element ? event.target.closest<HTMLElement>('.row') : null;
    const index = Number(target?.dataset.index);
    if (!Number.isInteger(index)) return;
    const row = this.rows.get(index);
    if (!row) return;
    if (open) this.events.open(row);
    else this.choose(row, index);
  }

  private choose(row: HistoryRow, index: number): void {
    this.pendingSelect = undefined;
    this.selectedIndex = index;
    if (row.id !== this.selectedId) {
      this.selectedId = row.id;
      this.events.select(row);
    }
    this.schedule();
  }

  /** Stable index the keyboard moves from: the selected row, else the first visible one. */
  private currentIndex(): number {
    if (this.selectedId !== undefined) {
      const found = this.rows.indexOfId(this.selectedId, this.selectedIndex);
      if (found !== undefined) return found;
    }
    return this.offset + Math.floor((this.scroller.scrollTop * this.scale()) / ROW_HEIGHT);
  }

  private onKey(event: KeyboardEvent): void {
    if (this.count === 0) return;
    const page = Math.max(1, Math.floor(this.scroller.clientHeight / ROW_HEIGHT) - 1);
    const current = this.currentIndex();
    const moves: Record<string, number> = { ArrowUp: current - 1, ArrowDown: current + 1, PageUp: current - page, PageDown: current + page, Home: this.offset, End: this.offset + this.count - 1 };
    if (event.key === 'Enter') {
      const row = this.selectedId !== undefined ? this.rows.get(current) : undefined;
      if (row) this.events.open(row);
    } else if (event.key in moves) {
      this.selectIndex(moves[event.key]);
    } else return;
    event.preventDefault();
  }

  /** Selects the row at a stable index (clamped), scrolling it into view; loads it first when needed. */
  private selectIndex(wanted: number): void {
    const index = Math.min(this.offset + this.count - 1, Math.max(this.offset, wanted));
    const position = index - this.offset;
    const scale = this.scale();
    const s = this.scroller;
    const y = position * ROW_HEIGHT - s.scrollTop * scale; // the row's top within the viewport
    if (position === this.count - 1) s.scrollTop = s.scrollHeight;
    else if (y < 0) s.scrollTop = (position * ROW_HEIGHT) / scale;
    else if (y > s.clientHeight - ROW_HEIGHT) s.scrollTop = (position * ROW_HEIGHT - s.clientHeight + ROW_HEIGHT) / scale;
    this.selectedIndex = index;
    const row = this.rows.get(index);
    if (row) this.choose(row, index);
    else this.pendingSelect = index;
    this.render();
  }
}
