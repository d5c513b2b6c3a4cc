/** Something to release: a listener, a timer, a connection. Compatible with vscode.Disposable. */
export interface Disposable {
  dispose(): void;
}

/** A subscribable event, shaped like vscode.Event so host code can pass it on unchanged. */
export type Listenable<T> = (listener: (value: T) => void) => Disposable;

/** A minimal typed event source for core code (which cannot use vscode.EventEmitter). */
export class Emitter<T> {
  private listeners: Array<(value: T) => void> = [];

  /** Subscribe with `emitter.event(listener)`; the result removes the listener. */
  readonly event: Listenable<T> = (listener) => {
    this.listeners = [...this.listeners, listener];
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  };

  /** Calls every listener; one that throws does not stop the others, and is reported to `onListenerError`. */
  fire(value: T): void {
    for (const listener of this.listeners) {
      try {
        listener(value);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  get hasListeners(): boolean {
    return this.listeners.length > 0;
  }

  dispose(): void {
    this.listeners = [];
  }

  /** Where a listener's exception goes; replaced by owners that log. */
  onListenerError: (error: unknown) => void = (error) => console.error(error);
}
