/**
 * A small seeded pseudo-random generator (mulberry32): the same seed gives the same sequence on every machine,
 * so a scenario's payloads and jitter can be reproduced exactly. Not for anything secret.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A generator for one (client, stream) pair, independent of the others but fixed by the scenario seed. */
  static derive(seed: number, ...parts: number[]): SeededRandom {
    let hash = (seed ^ 0x9e3779b9) >>> 0;
    for (const part of parts) {
      hash = Math.imul(hash ^ (part >>> 0), 0x85ebca6b) >>> 0;
      hash = (hash ^ (hash >>> 13)) >>> 0;
    }
    return new SeededRandom(hash);
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max] (both included). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** An RFC 4122 version-4 UUID made from this generator (reproducible, so not unique across seeds). */
  uuid(): string {
    const hex: string[] = [];
    for (let i = 0; i < 16; i++) {
      let byte = this.int(0, 255);
      if (i === 6) byte = (byte & 0x0f) | 0x40;
      if (i === 8) byte = (byte & 0x3f) | 0x80;
      hex.push(byte.toString(16).padStart(2, '0'));
    }
    const s = hex.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }
}
