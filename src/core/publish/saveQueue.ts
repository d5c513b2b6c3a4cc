/**
 * Coalesces saves: many changes in a row cause few writes, one at a time, each writing the state as it is
 * when the write starts. A caller that awaits `request()` knows its change is on disk (or that the write failed).
 */
export class SaveQueue {
  private running: Promise<void> | undefined;
  private pending = false;
  private waiting: Array<() => void> = [];
  /** The error of the last write, cleared by the next successful one. */
  error: string | undefined;

  constructor(
    private readonly write: () => Promise<void>,
    private readonly onError: (message: string) => void = () => undefined,
  ) {}

  /** Asks for a save of the current state; resolves after a write that started after this call ended. */
  request(): Promise<void> {
    this.pending = true;
    const done = new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running ??= this.loop();
    return done;
  }

  /** Resolves when no write is running or asked for. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async loop(): Promise<void> {
    while (this.pending) {
      this.pending = false;
      const waiting = this.waiting;
      this.waiting = [];
      // Let the changes made in this turn join the write.
      await Promise.resolve();
      try {
        await this.write();
        this.error = undefined;
      } catch (error) {
        this.error = error instanceof Error ? error.message : String(error);
        this.onError(this.error);
      }
      for (const resolve of waiting) resolve();
    }
    this.running = undefined;
  }
}
