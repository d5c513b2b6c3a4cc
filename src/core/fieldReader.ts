/**
 * Reads fields out of untyped JSON (settings, command arguments) and records one precise problem per
 * wrong field, prefixed with where it is ("connections[2].tls.cert: must be a string").
 */
export class FieldReader {
  private readonly seen = new Set<string>();

  constructor(
    readonly value: Readonly<Record<string, unknown>>,
    readonly path: string,
    readonly problems: string[],
  ) {}

  /** A reader for an untyped value that must be a JSON object, or undefined (and a problem) if it is not. */
  static object(value: unknown, path: string, problems: string[]): FieldReader | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push(`${path}: must be an object, not ${describeJsonType(value)}`);
      return undefined;
    }
    return new FieldReader(value as Record<string, unknown>, path, problems);
  }

  /** Records a problem for field `key`. */
  problem(key: string, message: string): void {
    this.problems.push(`${this.fieldPath(key)}: ${message}`);
  }

  fieldPath(key: string): string {
    return `${this.path}.${key}`;
  }

  /** The raw value of `key` (and marks the key as known). */
  raw(key: string): unknown {
    this.seen.add(key);
    return this.value[key];
  }

  has(key: string): boolean {
    this.seen.add(key);
    return this.value[key] !== undefined;
  }

  string(key: string, options: { required?: boolean; nonEmpty?: boolean } = {}): string | undefined {
    const value = this.raw(key);
    if (value === undefined) {
      if (options.required) this.problem(key, 'is required');
      return undefined;
    }
    if (typeof value !== 'string') return this.wrongType(key, 'a string', value);
    if (options.nonEmpty && value.trim() === '') {
      this.problem(key, 'must not be empty');
      return undefined;
    }
    return value;
  }

  boolean(key: string): boolean | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') return this.wrongType(key, 'true or false', value);
    return value;
  }

  /** An integer within [min, max]. */
  integer(key: string, min: number, max: number): number | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) return this.wrongType(key, 'a whole number', value);
    if (value < min || value > max) {
      this.problem(key, `must be between ${min} and ${max}, not ${value}`);
      return undefined;
    }
    return value;
  }

  /** A number within [min, max] (fractions allowed). */
  number(key: string, min: number, max: number): number | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) return this.wrongType(key, 'a number', value);
    if (value < min || value > max) {
      this.problem(key, `must be between ${min} and ${max}, not ${value}`);
      return undefined;
    }
    return value;
  }

  /** One of a fixed set of values (strings or numbers). */
  oneOf<T extends string | number>(key: string, allowed: readonly T[]): T | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (!(allowed as readonly unknown[]).includes(value)) {
      const list = allowed.map((a) => JSON.stringify(a)).join(', ');
      this.problem(key, `must be one of ${list}, not ${JSON.stringify(value)}`);
      return undefined;
    }
    return value as T;
  }

  /** An array of strings. */
  stringArray(key: string): string[] | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
      return this.wrongType(key, 'an array of strings', value);
    }
    return value as string[];
  }

  /** A nested object, read with its own reader. */
  object(key: string): FieldReader | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    return FieldReader.object(value, this.fieldPath(key), this.problems);
  }

  /** An array whose items are read one by one; items that fail are dropped (and their problems recorded). */
  array<T>(key: string, readItem: (item: unknown, path: string) => T | undefined): T[] | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) return this.wrongType(key, 'an array', value);
    const items: T[] = [];
    value.forEach((item, i) => {
      const read = readItem(item, `${this.fieldPath(key)}[${i}]`);
      if (read !== undefined) items.push(read);
    });
    return items;
  }

  /** User properties: an object whose values are strings or arrays of strings. */
  userProperties(key: string): Record<string, string | string[]> | undefined {
    const reader = this.object(key);
    if (!reader) return undefined;
    const result: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(reader.value)) {
      reader.seen.add(name);
      const ok = typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
      if (ok) result[name] = value as string | string[];
      else reader.problem(name, `must be a string or an array of strings, not ${describeJsonType(value)}`);
    }
    return result;
  }

  /** Records a problem for every field this reader was not asked about. */
  rejectUnknownFields(): void {
    for (const key of Object.keys(this.value)) {
      if (this.seen.has(key)) continue;
      const suggestion = closest(key, [...this.seen]);
      this.problem(key, `unknown field${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`);
    }
  }

  private wrongType(key: string, expected: string, value: unknown): undefined {
    this.problem(key, `must be ${expected}, not ${describeJsonType(value)}`);
    return undefined;
  }
}

/** "a string", "the number 3", "null"...: how a wrong value is named in a message. */
export function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case 'number':
    case 'boolean':
      return `${typeof value === 'number' ? 'the number' : ''} ${String(value)}`.trim();
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      bestDistance = distance;
      best = candidate;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}
