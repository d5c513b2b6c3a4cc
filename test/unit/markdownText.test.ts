// markdownText writes broker and settings text into MarkdownString source. What it must produce follows from how
// VS Code renders hovers (marked, then theme icons replaced in the HTML): these cases pin each rule. The UI test
// (test/e2e/security.e2e.mjs) checks the rendered tooltips in a real VS Code.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labelText, markdownText } from '../../src/host/views/markdownText';

test('theme-icon syntax loses its $ to a numeric reference, which the icon pass cannot see', () => {
  assert.equal(markdownText('$(terminal) x'), '&#36;\\(terminal\\) x');
  assert.ok(!markdownText('a $(warning) \\$(x)').includes('$('));
});

test('entities, markup, HTML and autolinks are escaped with backslashes', () => {
  assert.equal(markdownText('&lt;b&gt;'), '\\&lt\\;b\\&gt\\;');
  assert.equal(markdownText('**a** _b_ `c` [d](e) <i> # | ~'), '\\*\\*a\\*\\* \\_b\\_ \\`c\\` \\[d\\]\\(e\\) \\<i\\> \\# \\| \\~');
  assert.equal(markdownText('https://x.io'), 'https\\:\\/\\/x\\.io');
  assert.equal(markdownText('ops@example.com'), 'ops\\@example\\.com');
  assert.equal(markdownText('C:\\dir'), 'C\\:\\\\dir');
});

test('letters, digits and non-ASCII characters pass unchanged', () => {
  assert.equal(markdownText('Temp 21 °C · ok ✓ 温度'), 'Temp 21 °C · ok ✓ 温度');
});

test('spaces markdown would fold or strip become no-break spaces; a line break stays a line break', () => {
  assert.equal(markdownText('a b'), 'a b');
  assert.equal(markdownText(' a  b '), '&nbsp;a&nbsp;&nbsp;b&nbsp;');
  assert.equal(markdownText('    code?'), '&nbsp;&nbsp;&nbsp;&nbsp;code?'.replace('?', '\\?'));
  assert.equal(markdownText('one\ntwo\r\nthree'), 'one\\\ntwo\\\nthree');
});

test('labelText: theme-icon syntax in a status bar text gets the backslash VS Code reads as literal', () => {
  assert.equal(labelText('a/$(terminal) x $(sync~spin)'), 'a/\\$(terminal) x \\$(sync~spin)');
  assert.equal(labelText('cost $5 (approx)'), 'cost $5 (approx)');
});
