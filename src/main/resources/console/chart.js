// The balance of one account over time, drawn from its history as inline SVG with DOM calls (no library, no
// markup strings).
import { format } from './money.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 900;
const HEIGHT = 200;
const PAD = { left: 8, right: 8, top: 22, bottom: 22 };

function node(name, attributes = {}, text = null) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (text !== null) element.textContent = text;
  return element;
}

/**
 * A line of balanceAfter for `entries` (newest first, as the API lists them), the balance before the oldest one
 * as its first point. Returns an <svg> element, or null when there is nothing to draw.
 */
export function balanceChart(entries, currency) {
  if (!entries.length) return null;
  const oldestFirst = [...entries].reverse();
  const first = oldestFirst[0];
  const points = [{ balance: first.balanceAfter - first.amount, at: null }]
    .concat(oldestFirst.map((e) => ({ balance: e.balanceAfter, at: e.createdAt })));
  const balances = points.map((p) => p.balance);
  const low = Math.min(0, ...balances);
  const high = Math.max(...balances, low + 1);
  const x = (i) => PAD.left + (i * (WIDTH - PAD.left - PAD.right)) / Math.max(1, points.length - 1);
  const y = (b) => PAD.top + ((high - b) * (HEIGHT - PAD.top - PAD.bottom)) / (high - low);

  const svg = node('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', class: 'balance-chart', 'aria-labelledby': 'chart-title',
  });
  svg.append(node('title', { id: 'chart-title' },
    `Balance over the last ${entries.length} movement${entries.length === 1 ? '' : 's'}, from `
    + `${format(points[0].balance, currency)} to ${format(points.at(-1).balance, currency)}`));
  svg.append(node('line', { x1: PAD.left, x2: WIDTH - PAD.right, y1: y(0), y2: y(0), class: 'axis' }));
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.balance).toFixed(1)}`).join(' ');
  svg.append(node('path', { d: path, class: 'line' }));
  points.forEach((p, i) => {
    const dot = node('circle', { cx: x(i).toFixed(1), cy: y(p.balance).toFixed(1), r: 3, class: 'dot' });
    dot.append(node('title', {}, `${format(p.balance, currency)}${p.at ? ` at ${new Date(p.at).toLocaleString()}` : ' before'}`));
    svg.append(dot);
  });
  svg.append(node('text', { x: PAD.left, y: 14, class: 'label' }, `max ${format(high, currency)}`));
  svg.append(node('text', { x: PAD.left, y: HEIGHT - 6, class: 'label' },
    first.createdAt ? new Date(first.createdAt).toLocaleString() : ''));
  svg.append(node('text', { x: WIDTH - PAD.right, y: HEIGHT - 6, class: 'label end' },
    `now ${format(points.at(-1).balance, currency)}`));
  return svg;
}
