/**
 * The arrival time of received messages: the clock is read once per turn of the event loop and shared by every
 * message handled in that turn. The messages of one socket read arrived together, so they get one time; at full
 * rate that is one clock read per read of the socket instead of one per message.
 */
export function arrivalClock(now: () => number): () => number {
  let cached: number | undefined;
  const forget = (): void => {
    cached = undefined;
  };
  return () => {
    if (cached === undefined) {
      cached = now();
      setImmediate(forget);
    }
    return cached;
  };
}
