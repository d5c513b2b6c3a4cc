/** A sparkline as a small SVG (a tree item icon): one polyline, the color given per theme by the caller. */

/** SVG text of a 16x16 sparkline of `values` (oldest first); a flat line when there are fewer than 2. */
export function sparklineSvg(values: readonly number[], color: string, size = 16): string {
  const pad = 1.5;
  const inner = size - 2 * pad;
  let points: string;
  if (values.length < 2) {
    points = `${pad},${size / 2} ${size - pad},${size / 2}`;
  } else {
    const min = Math.min(...values);
    const max = Math.max(...values);
    const span = max - min || 1;
    points = values.map((v, i) => `${(pad + (i / (values.length - 1)) * inner).toFixed(2)},${(size - pad - ((v - min) / span) * inner).toFixed(2)}`).join(' ');
  }
  const safeColor = /^#[0-9a-fA-F]{3,8}$/.test(color) ? color : '#888888';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}"><polyline fill="none" stroke="${safeColor}" stroke-width="1.4" stroke-linejoin="round" stroke-linecap="round" points="${points}"/></svg>`;
}

/** The SVG as a data: URI (for TreeItem.iconPath). */
export function svgDataUri(svg: string): string {
  return `data:image/svg+xml;base64,${btoa(svg)}`;
}
