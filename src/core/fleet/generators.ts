import type { SeededRandom } from './random';

/** A payload value generator as written in a scenario (`publish[i].generators.<name>`). */
export type GeneratorSpec =
  | { type: 'sequence'; start: number; step: number }
  | { type: 'int'; min: number; max: number }
  | { type: 'float'; min: number; max: number; decimals: number }
  | { type: 'sine' | 'sawtooth'; min: number; max: number; periodSeconds: number }
  | { type: 'walk'; start: number; step: number; min: number; max: number }
  | { type: 'pick'; values: readonly unknown[] }
  | { type: 'timestamp'; format: 'ms' | 'iso' }
  | { type: 'uuid' }
  | { type: 'index' };

/** The generator types, in the order the schema lists them. */
export const GENERATOR_TYPES = ['sequence', 'int', 'float', 'sine', 'sawtooth', 'walk', 'pick', 'timestamp', 'uuid', 'index'] as const;

/** What a generator may look at when it makes the next value. */
export interface GeneratorContext {
  /** Wall clock, epoch milliseconds. */
  nowMs: number;
  /** Seconds since the run started (waves are functions of it, so every client's wave is in phase). */
  elapsedSeconds: number;
  /** Index of the simulated client. */
  index: number;
  /** The random source of this client and stream (seeded). */
  random: SeededRandom;
}

/** A generator with its state (a sequence's counter, a walk's position) for one client. */
export type Generator = (context: GeneratorContext) => unknown;

const round = (value: number, decimals: number): number => {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
};

/** Makes a fresh generator (its own state) from a validated spec. */
export function createGenerator(spec: GeneratorSpec): Generator {
  switch (spec.type) {
    case 'sequence': {
      let next = spec.start;
      return () => {
        const value = next;
        next += spec.step;
        return value;
      };
    }
    case 'int':
      return ({ random }) => random.int(spec.min, spec.max);
    case 'float':
      return ({ random }) => round(spec.min + random.next() * (spec.max - spec.min), spec.decimals);
    case 'sine':
      return ({ elapsedSeconds }) => round(spec.min + ((spec.max - spec.min) * (1 + Math.sin((2 * Math.PI * elapsedSeconds) / spec.periodSeconds))) / 2, 6);
    case 'sawtooth':
      return ({ elapsedSeconds }) => round(spec.min + (spec.max - spec.min) * ((elapsedSeconds % spec.periodSeconds) / spec.periodSeconds), 6);
    case 'walk': {
      let position = spec.start;
      return ({ random }) => {
        position = Math.min(spec.max, Math.max(spec.min, position + (random.next() * 2 - 1) * spec.step));
        return round(position, 6);
      };
    }
    case 'pick':
      return ({ random }) => spec.values[random.int(0, spec.values.length - 1)];
    case 'timestamp':
      return ({ nowMs }) => (spec.format === 'ms' ? nowMs : new Date(nowMs).toISOString());
    case 'uuid':
      return ({ random }) => random.uuid();
    case 'index':
      return ({ index }) => index;
  }
}
