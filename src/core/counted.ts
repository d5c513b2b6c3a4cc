/** "1 topic", "2 topics", "1,024 messages": a count with its noun in the right number. */
export function counted(n: number, noun: string, plural = `${noun}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? noun : plural}`;
}
