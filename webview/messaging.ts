import type { FromWebview, HistoryFilterInput, PublishFormDraft } from '../src/shared/protocol';

/** The part of the VS Code webview API the panel uses. */
interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/**
 * What the panel keeps across a reload (getState/setState). `connection` and `filter` are also read by the
 * host's panel serializer to reopen the panel for the same connection.
 */
export interface PanelViewState {
  connection: string;
  filter: HistoryFilterInput;
  /** Id of the selected message, or `undefined`. */
  selectedId?: number;
  scrollTop: number;
  /** True when the list sticks to the newest row. */
  follow: boolean;
  /** Codec id for the detail pane ('auto' by default). */
  codec: string;
  /** The publish form as last typed, and whether it is open. */
  publishDraft?: PublishFormDraft;
  publishOpen: boolean;
}

const DEFAULT_STATE: PanelViewState = {
  connection: '',
  filter: { topicFilter: '', text: '', regex: false },
  scrollTop: 0,
  follow: true,
  codec: 'auto',
  publishOpen: false,
};

/** A saved draft if it has the fields the form needs (the state is ours, but may be from an older version). */
function savedDraft(value: unknown): PublishFormDraft | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const d = value as Partial<PublishFormDraft>;
  const valid = typeof d.topic === 'string' && typeof d.payload === 'string' && typeof d.format === 'string' && (d.qos === 0 || d.qos === 1 || d.qos === 2) && typeof d.retain === 'boolean' && typeof d.protobufType === 'string';
  return valid ? (d as PublishFormDraft) : undefined;
}

// acquireVsCodeApi may be called only once per webview.
const api = acquireVsCodeApi();

let requestCounter = 0;

/** A fresh request id; rows and detail requests share one counter so an `error` reply names one request. */
export function nextRequestId(): number {
  return ++requestCounter;
}

/** Sends one typed message to the extension host. */
export function post(message: FromWebview): void {
  api.postMessage(message);
}

function restore(raw: unknown): PanelViewState {
  if (typeof raw !== 'object' || raw === null) return { ...DEFAULT_STATE };
  const s = raw as Record<string, unknown>;
  const f = typeof s.filter === 'object' && s.filter !== null ? (s.filter as Record<string, unknown>) : {};
  return {
    connection: typeof s.connection === 'string' ? s.connection : '',
    filter: {
      topicFilter: typeof f.topicFilter === 'string' ? f.topicFilter : '',
      text: typeof f.text === 'string' ? f.text : '',
      regex: f.regex === true,
    },
    selectedId: typeof s.selectedId === 'number' ? s.selectedId : undefined,
    scrollTop: typeof s.scrollTop === 'number' ? s.scrollTop : 0,
    follow: s.follow !== false,
    codec: typeof s.codec === 'string' ? s.codec : 'auto',
    publishDraft: savedDraft(s.publishDraft),
    publishOpen: s.publishOpen === true,
  };
}

let current = restore(api.getState());

/** The panel state restored after a reload (or the defaults). */
export function getViewState(): Readonly<PanelViewState> {
  return current;
}

/** Merges a change into the saved panel state. */
export function updateViewState(change: Partial<PanelViewState>): void {
  current = { ...current, ...change };
  api.setState(current);
}
