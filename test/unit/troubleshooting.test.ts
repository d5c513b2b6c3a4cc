// README "Troubleshooting" lists what a user reads after each mistake. Every sentence in it must be asserted by a
// test, so the list cannot drift from the product: change a message in code and test but not in the README, or
// document a message that no test asserts, and this fails.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';

const REPO = join(__dirname, '..', '..', '..');
const THIS_TEST = join('test', 'unit', 'troubleshooting.test.ts');
const HEADER = ['What happened', 'What you see', 'What to do'];
/** Test sources: what node:test, mocha and the e2e runner execute. */
const TEST_FILE = /\.(test\.ts|e2e\.mjs)$/;
/** `<host>`, `<port>`...: a placeholder for a value that differs from case to case. */
const PLACEHOLDER = /(<[^<>\s][^<>]*>)/;
/** A row must say more than its placeholders do. */
const MIN_LITERAL_CHARACTERS = 12;

/** One row of the Troubleshooting tables. */
interface Row {
  line: number;
  happened: string;
  message: string;
}

/** The cells of a Markdown table row (`\|` is a literal bar). */
function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim().replace(/\\\|/g, '|'));
}

/** The rows of every table in the README section "## Troubleshooting", with their line numbers. */
function troubleshootingRows(readme: string): Row[] {
  const lines = readme.split('\n');
  const start = lines.indexOf('## Troubleshooting');
  assert.ok(start >= 0, 'README.md has a "## Troubleshooting" section');
  const end = lines.findIndex((line, i) => i > start && line.startsWith('## '));
  const rows: Row[] = [];
  lines.slice(start, end < 0 ? undefined : end).forEach((text, offset) => {
    if (!text.startsWith('|')) return;
    const line = start + offset + 1;
    const row = cells(text);
    if (row.every((cell) => /^-+$/.test(cell))) return;
    assert.equal(row.length, HEADER.length, `README.md:${line} has ${HEADER.length} cells`);
    if (row.join('|') === HEADER.join('|')) return;
    const code = /^`([^`]+)`$/.exec(row[1]);
    assert.ok(code, `README.md:${line}: "What you see" is the message as one code span, not ${row[1]}`);
    rows.push({ line, happened: row[0], message: code[1] });
  });
  return rows;
}

/**
 * A RegExp that finds `message` as a test source writes it: a placeholder matches any text on the line (a
 * value, or a `${...}` expression of a template literal); any other character but a letter, digit or space may
 * be preceded by a backslash (escaped in a string literal or a RegExp).
 */
function messagePattern(message: string): RegExp {
  const source = message
    .split(PLACEHOLDER)
    .map((part, i) => {
      if (i % 2 === 1) return '[^\\n]*?';
      return [...part].map((ch) => (/[\p{L}\p{N} ]/u.test(ch) ? ch : `\\\\?\\u{${ch.codePointAt(0)?.toString(16)}}`)).join('');
    })
    .join('');
  return new RegExp(source, 'u');
}

function literalLength(message: string): number {
  return message.split(PLACEHOLDER).filter((_, i) => i % 2 === 0).join('').length;
}

function testSources(dir: string): Array<{ path: string; text: string }> {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testSources(path);
    if (!TEST_FILE.test(entry.name) || relative(REPO, path) === THIS_TEST) return [];
    return [{ path: relative(REPO, path), text: readFileSync(path, 'utf8') }];
  });
}

describe('messagePattern', () => {
  const pattern = messagePattern('Nothing is listening on <host>:<port>. Check that the broker is running and the port is right.');

  test('placeholders match values and template expressions', () => {
    assert.match("'Nothing is listening on 127.0.0.1:1. Check that the broker is running and the port is right.'", pattern);
    assert.match('`Nothing is listening on 127.0.0.1:${broker.port}. Check that the broker is running and the port is right.`', pattern);
  });

  test('escaped characters in strings and RegExp literals match', () => {
    assert.match('/There is no connection named "Nobody"\\. Known: .*Lab/', messagePattern('There is no connection named "<name>". Known: <names>.'));
    assert.match('"Not valid JSON at line 1, column 9 (byte 8): trailing comma before \'}\'"', messagePattern("Not valid JSON at line <line>, column <column> (byte <offset>): trailing comma before '}'"));
    assert.match("'\\'#\\' must occupy a whole level, e.g. a/#.'", messagePattern("'#' must occupy a whole level, e.g. a/#."));
  });

  test('a changed word does not match, nor does a placeholder span lines', () => {
    assert.doesNotMatch("'Nothing is listening at 127.0.0.1:1. Check that the broker is running and the port is right.'", pattern);
    assert.doesNotMatch("'Nothing is listening on 127.0.0.1\n:1. Check that the broker is running and the port is right.'", pattern);
  });
});

describe('README Troubleshooting', () => {
  const rows = troubleshootingRows(readFileSync(join(REPO, 'README.md'), 'utf8'));

  test('lists at least 25 cases, each once, each saying more than its placeholders', () => {
    assert.ok(rows.length >= 25, `${rows.length} rows`);
    const seen = new Set<string>();
    for (const row of rows) {
      assert.ok(!seen.has(row.message), `README.md:${row.line} repeats ${row.message}`);
      seen.add(row.message);
      assert.ok(literalLength(row.message) >= MIN_LITERAL_CHARACTERS, `README.md:${row.line}: ${row.message} is mostly placeholders`);
      assert.ok(row.happened.length > 0, `README.md:${row.line} says what happened`);
    }
  });

  test('every message shown is asserted by a test', () => {
    const sources = testSources(join(REPO, 'test'));
    assert.ok(sources.length > 10, `test sources found: ${sources.length}`);
    const unasserted = rows.filter((row) => !sources.some((source) => messagePattern(row.message).test(source.text)));
    assert.deepEqual(
      unasserted.map((row) => `README.md:${row.line}: ${row.message}`),
      [],
      'these README messages appear in no test: change the README to the message the code shows, or assert it in a test',
    );
  });
});
