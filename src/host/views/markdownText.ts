// Text from a broker or from settings, written into a VS Code MarkdownString so that it shows character for
// character: no markup, no HTML entity decoded, no theme icon, no link. No `vscode` import: unit-tested in Node.
//
// Why each rule (VS Code 1.100 renders hovers with marked, then, when supportThemeIcons is on, replaces every
// `$(name)` left in the produced HTML by an icon, and only then parses the HTML):
// - every ASCII punctuation character gets a backslash (CommonMark allows it before any of them): no emphasis,
//   code, heading, list, table, entity (`\&lt;` stays `&lt;`), autolink (`https\:\/\/` is no URL, `a\@b\.c` no e-mail);
// - `$` becomes the numeric reference `&#36;`: marked keeps references as they are, so the icon pass finds no
//   `$(` in the HTML, and the HTML parser shows `$` again. A backslash would not do: marked removes it first;
// - runs of spaces become no-break spaces (markdown folds them, and four leading spaces would start a code block);
// - a line break becomes a hard break (`\` at the end of the line), not a space.

/** ASCII punctuation but `$`, which gets its numeric character reference instead. */
const PUNCTUATION = /[!-#%-/:-@[-`{-~]/;

/**
 * `text` as MarkdownString source that renders as exactly `text`, whether or not the MarkdownString supports
 * theme icons or HTML. Use it for every string that comes from a broker or from settings.
 */
export function markdownText(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '$') out += '&#36;';
    else if (c === ' ' || c === '\t') out += whitespace(text, i);
    else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      out += '\\\n';
    } else if (PUNCTUATION.test(c)) out += `\\${c}`;
    else out += c;
  }
  return out;
}

/** A space stays a space where markdown keeps it (one, between words); elsewhere it is a no-break space. */
function whitespace(text: string, i: number): string {
  const before = text[i - 1];
  const after = text[i + 1];
  const alone = before !== undefined && after !== undefined && !/\s/.test(before) && !/\s/.test(after);
  return alone && text[i] === ' ' ? ' ' : '&nbsp;';
}

/** VS Code's theme-icon syntax, `$(name)` or `$(name~modifier)`, as its label renderer finds it. */
const THEME_ICON = /\$\([A-Za-z0-9-]+(?:~[A-Za-z]+)?\)/g;

/**
 * `text` for a plain label that renders theme icons (status bar items and messages): `$(name)` gets the backslash
 * VS Code reads as "not an icon", so a topic like `a/$(terminal)` shows as written.
 */
export function labelText(text: string): string {
  return text.replace(THEME_ICON, (icon) => `\\${icon}`);
}
