/** Larger texts are shown plain: coloring them would cost more than it helps. */
const MAX_HIGHLIGHT_CHARS = 200_000;

const TOKEN = /("(?:\\.|[^"\\\n])*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;

/**
 * Pretty JSON text as a fragment of text nodes and spans (keys, strings, numbers, literals), each created
 * with textContent, so the payload is never parsed as HTML. Returns a single text node for large texts.
 */
export function highlightJson(text: string): Node {
  if (text.length > MAX_HIGHLIGHT_CHARS) return document.createTextNode(text);
  const fragment = document.createDocumentFragment();
  let last = 0;
  const span = (className: string, value: string): void => {
    const node = document.createElement('span');
    node.className = className;
    node.textContent = value;
    fragment.appendChild(node);
  };
  for (const match of text.matchAll(TOKEN)) {
    const at = match.index ?? 0;
    if (at > last) fragment.appendChild(document.createTextNode(text.slice(last, at)));
    const [whole, string, colon, literal, number] = match;
    if (string !== undefined) {
      span(colon ? 'json-key' : 'json-string', string);
      if (colon) fragment.appendChild(document.createTextNode(colon));
    } else if (literal !== undefined) span('json-literal', literal);
    else if (number !== undefined) span('json-number', number);
    last = at + whole.length;
  }
  if (last < text.length) fragment.appendChild(document.createTextNode(text.slice(last)));
  return fragment;
}
