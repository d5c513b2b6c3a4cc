// Entry of the message panel webview (bundled to dist/webview.js). A view only: it shows what the host
// sends and asks for the rows it displays. Broker data is only ever set as text.
import type { HistoryFilterInput, HistoryRow, ToWebview } from '../src/shared/protocol';
import { Banner } from './components/banner';
import { DetailPane } from './components/detailPane';
import { FilterBar } from './components/filterBar';
import { PublishForm } from './components/publishForm';
import { TimelineHeader } from './components/timeline';
import { Toolbar } from './components/toolbar';
import { VirtualList } from './components/virtualList';
import { debounce, el } from './dom';
import { getViewState, nextRequestId, post, updateViewState } from './messaging';
import { registerToolkit } from './ui';

registerToolkit();

const saved = getViewState();
let filter: HistoryFilterInput = saved.filter;
let codec = saved.codec;
let detailRequestId = -1;
/** The detail request of a selection restored after a reload: if that message is gone, just show nothing. */
let restoredDetailRequestId = -1;
let detailId: number | undefined = saved.selectedId;
let lastStatus: { offset: number; end: number } | undefined;
let scrollRestored = false;

const banner = new Banner();
/** Shown only when the panel shows a capture file (the capture editor). */
const timeline = new TimelineHeader();
const toolbar = new Toolbar(() => resetRows());
const filterBar = new FilterBar((next) => {
  filter = next;
  updateViewState({ filter });
  resetRows();
  post({ type: 'setFilter', filter });
});
const saveScroll = debounce((scrollTop: number, follow: boolean) => updateViewState({ scrollTop, follow }), 150);
const list = new VirtualList({
  select: (row) => {
    updateViewState({ selectedId: row.id });
    requestDetailSoon(row);
  },
  open: (row) => {
    requestDetail(row.id);
    detail.element.focus();
  },
  scrolled: saveScroll,
});
const publishForm = new PublishForm(saved.publishDraft, saved.publishOpen, debounce((publishDraft, publishOpen) => updateViewState({ publishDraft, publishOpen }), 300));
const detail = new DetailPane(codec, (next) => {
  codec = next;
  updateViewState({ codec });
  if (detailId !== undefined) requestDetail(detailId);
});

/** Forgets cached rows when the host is about to start a new view (new filter, cleared history). */
function resetRows(): void {
  list.reset();
  lastStatus = undefined;
}

/** Asks the host to decode one message with the chosen codec; only the newest answer is shown. */
function requestDetail(id: number): void {
  detailId = id;
  detailRequestId = nextRequestId();
  detail.setLoading(true);
  post({ type: 'getDetail', requestId: detailRequestId, id, codec });
}
// Holding an arrow key moves the selection quickly: decode only where it stops.
const requestDetailSoon = debounce((row: HistoryRow) => requestDetail(row.id), 80);

function layout(): void {
  const app = document.getElementById('app') ?? document.body.appendChild(el('div'));
  const split = el('div', 'split');
  split.append(list.element, detail.element);
  app.replaceChildren(banner.element, toolbar.element, timeline.element, filterBar.element, split, publishForm.element);
  filterBar.setFilter(filter);
  list.setSelectedId(saved.selectedId);
  list.setEmptyText('No messages yet.');
}

function onStatus(status: Extract<ToWebview, { type: 'status' }>): void {
  const end = status.offset + status.count;
  // Stable indices only grow within one host view; going back means the host made a new view.
  if (lastStatus && (status.offset < lastStatus.offset || end < lastStatus.end)) list.reset();
  lastStatus = { offset: status.offset, end };
  if (status.tail) list.rows.receiveTail(status.tail.start, status.tail.rows);
  toolbar.setStatus(status);
  filterBar.setError(status.filterError);
  const filtered = filter.topicFilter !== '' || filter.text !== '';
  list.setEmptyText(status.filterError ? 'The filter is not valid.' : filtered && status.total > 0 ? 'No messages match the filter.' : 'No messages yet.');
  list.setModel(status.count, status.offset);
  detail.chart.refresh();
  if (!scrollRestored) {
    scrollRestored = true;
    list.restoreScroll(saved.scrollTop, saved.follow);
  }
}

function receive(message: ToWebview): void {
  switch (message.type) {
    case 'init':
      toolbar.setConnection(message.connection, message.paused);
      detail.setCodecs(message.codecs);
      filter = message.filter;
      filterBar.setFilter(filter);
      updateViewState({ connection: message.connection, filter });
      resetRows();
      if (detailId !== undefined) {
        requestDetail(detailId);
        restoredDetailRequestId = detailRequestId;
      }
      return;
    case 'status':
      onStatus(message);
      return;
    case 'rows':
      list.rows.receive(message.requestId, message.start, message.rows);
      return;
    case 'detail':
      if (message.requestId !== detailRequestId) return; // an older selection or codec
      detail.show(message);
      return;
    case 'series':
      detail.chart.receive(message);
      return;
    case 'publishSetup':
      publishForm.setup(message.setup);
      return;
    case 'publishChecked':
      publishForm.checked(message.requestId, message.problems);
      return;
    case 'published':
      publishForm.published(message);
      return;
    case 'payloadFile':
      publishForm.fileChosen(message);
      return;
    case 'captureInfo':
      document.body.classList.add('capture-mode');
      timeline.show(message.info);
      return;
    case 'replayCursor':
      timeline.setCursor(message.t, message.state);
      return;
    case 'error':
      if (message.requestId !== undefined) {
        list.rows.fail(message.requestId);
        if (message.requestId === detailRequestId) detail.setLoading(false);
        if (message.requestId === restoredDetailRequestId) {
          detailId = undefined;
          detail.clear();
          updateViewState({ selectedId: undefined });
          return;
        }
      }
      banner.show(message.message);
      return;
    default:
      unknown(message);
  }
}

/** Exhaustiveness check: a new message type must be handled above. */
function unknown(message: never): void {
  console.warn('MQTT Workbench panel: unknown message', message);
}

layout();
window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const message = event.data;
  if (typeof message === 'object' && message !== null && typeof message.type === 'string') receive(message);
});
post({ type: 'ready' });
post({ type: 'getPublishSetup' });
