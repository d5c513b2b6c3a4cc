// The C header corpus of the struct tests (test/fixtures/cstruct): every layout rule the README lists has a struct there.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Folder of the corpus headers (also the include path of the gcc probes). */
export const CORPUS_DIR = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'cstruct');

/** The corpus headers. */
export const CORPUS_HEADERS = ['telemetry.h', 'natural.h', 'bitfields.h', 'big.h'];

/** A header of the corpus, as the host would read it. */
export function corpusFile(name: string): { fileName: string; source: string } {
  return { fileName: name, source: readFileSync(join(CORPUS_DIR, name), 'utf8') };
}
