/**
 * The message-sequence diagram: one lifeline per host, one row per state (row 0 is the initial
 * state), the acting host's step marked with its action, each receipt of a packet an arrow from
 * the sender at the step that sent it to the receiver at the step that received it, packets never
 * received as dangling stubs labelled with their type, and view changes and decisions marked on
 * the lifelines. Built as SVG elements; the page toggles classes for selection and filters.
 */
import { actionMark, type TraceView } from '../model/trace.js';

const SVG = 'http://www.w3.org/2000/svg';

export const layout = {
  gutter: 215,
  column: 140,
  header: 44,
  row: 27,
} as const;

type Attrs = Record<string, string | number>;

function el<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Attrs = {}, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function titled<T extends SVGElement>(e: T, title: string): T {
  e.appendChild(el('title', {}, title));
  return e;
}

/** Colours for message types, in the order the types first occur. */
const palette = ['#1f6feb', '#8250df', '#bf3989', '#cf222e', '#9a6700', '#1a7f37', '#0a7ea4', '#6e7781', '#953800', '#116329'];

export function typeColours(view: TraceView): Map<string, string> {
  const colours = new Map<string, string>();
  for (const p of view.packets) {
    if (colours.has(p.type)) continue;
    colours.set(p.type, /heartbeat/i.test(p.type) ? '#afb8c1' : palette[colours.size % palette.length]!);
  }
  return colours;
}

export interface DiagramOptions {
  /** Packet ids drawn as witnesses of the violation. */
  readonly witnesses: ReadonlySet<number>;
  readonly onSelect: (step: number) => void;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * The whole diagram for `view`: a header with the host names (kept in view while the diagram
 * scrolls) above the body, both in one coordinate system (the body's view box starts below the header).
 */
export function renderDiagram(view: TraceView, options: DiagramOptions): DocumentFragment {
  const { gutter, column, header, row } = layout;
  const hostIndex = new Map(view.hosts.map((h, i) => [h.name, i]));
  const x = (host: string): number => gutter + column * ((hostIndex.get(host) ?? 0) + 0.5);
  const y = (step: number): number => header + row * (step + 0.5);
  const width = gutter + column * Math.max(1, view.hosts.length) + 45;
  const height = header + row * view.steps.length + 16;
  const top = el('svg', {
    xmlns: SVG,
    width,
    height: header,
    viewBox: `0 0 ${width} ${header}`,
    class: 'diagram diagram-hosts',
    role: 'img',
  });
  const svg = el('svg', {
    xmlns: SVG,
    width,
    height: height - header,
    viewBox: `0 ${header} ${width} ${height - header}`,
    class: 'diagram diagram-body',
    role: 'img',
  });
  svg.appendChild(titled(el('g'), 'message-sequence diagram'));
  const defs = el('defs');
  const colours = typeColours(view);
  for (const [type, colour] of [...colours.entries(), ['witness', '#d1242f'] as const]) {
    const marker = el('marker', {
      id: `head-${cssId(type)}`,
      viewBox: '0 0 10 10',
      refX: 9,
      refY: 5,
      markerWidth: 7,
      markerHeight: 7,
      orient: 'auto-start-reverse',
    });
    marker.appendChild(el('path', { d: 'M0,0 L10,5 L0,10 z', fill: colour }));
    defs.appendChild(marker);
  }
  svg.appendChild(defs);

  // Rows: a band per state, clickable, with the step number (a link to its packets) and action.
  const rows = el('g', { class: 'rows' });
  for (const step of view.steps) {
    const band = titled(el('g', { class: 'row', 'data-step': step.index }), step.text);
    band.appendChild(el('rect', { x: 0, y: header + row * step.index, width, height: row, class: 'band' }));
    const link = el('a', { href: `#step-${step.index}`, class: 'step-link' });
    link.appendChild(el('text', { x: 8, y: y(step.index) + 4, class: 'step-no' }, String(step.index)));
    band.appendChild(link);
    const label = step.index === 0 ? 'initial state' : `${step.actor ?? '?'} ${step.action || step.text}`;
    band.appendChild(el('text', { x: 40, y: y(step.index) + 4, class: 'step-label' }, truncate(label, 27)));
    band.addEventListener('click', (e) => {
      if ((e.target as Element).closest('a') === null) options.onSelect(step.index);
    });
    rows.appendChild(band);
  }
  svg.appendChild(rows);

  // Lifelines with the host names on top.
  const lifelines = el('g', { class: 'lifelines' });
  for (const h of view.hosts) {
    const g = titled(el('g', { class: `lifeline kind-${cssId(h.kind)}`, 'data-host': h.name }), `${h.name} (${h.kind})`);
    g.appendChild(el('rect', { x: x(h.name) - 34, y: 8, width: 68, height: 24, rx: 5, class: 'host-box' }));
    g.appendChild(el('text', { x: x(h.name), y: 25, class: 'host-name' }, h.name));
    top.appendChild(g);
    lifelines.appendChild(
      el('line', { class: `lifeline-line kind-${cssId(h.kind)}`, x1: x(h.name), y1: header, x2: x(h.name), y2: height - 8 }),
    );
  }
  svg.appendChild(lifelines);

  // Arrows: one per receipt; a packet never received is a dangling stub.
  const arrows = el('g', { class: 'arrows' });
  const stubDrop = row * 0.7;
  const dangling = new Map<string, { g: SVGGElement; dx: number; x0: number; y0: number; colour: string; type: string; n: number }>();
  for (const p of view.packets) {
    const witness = options.witnesses.has(p.id);
    const colour = witness ? '#d1242f' : (colours.get(p.type) ?? '#57606a');
    const head = `url(#head-${cssId(witness ? 'witness' : p.type)})`;
    const x0 = x(p.src);
    const y0 = y(p.sentAt);
    const title = `${p.src}->${p.dst} ${p.label} (sent at step ${p.sentAt}${p.receipts.length === 0 ? ', never received' : `, received at ${p.receipts.join(', ')}`})`;
    const cls = `arrow type-${cssId(p.type)}${witness ? ' witness' : ''}`;
    for (const r of p.receipts) {
      const x1 = x(p.dst);
      const y1 = y(r);
      const g = el('g', { class: cls, 'data-packet': p.id, 'data-type': p.type, 'data-step': r });
      const d =
        p.src === p.dst
          ? `M${x0},${y0} C${x0 + 55},${y0} ${x0 + 55},${y1} ${x0 + 4},${y1}`
          : `M${x0},${y0} L${x1 + (x1 > x0 ? -3 : 3)},${y1}`;
      g.appendChild(titled(el('path', { d, stroke: colour, 'marker-end': head, fill: 'none' }), title));
      const lx = p.src === p.dst ? x0 + 46 : x0 + (x1 - x0) * 0.62;
      const ly = p.src === p.dst ? (y0 + y1) / 2 : y0 + (y1 - y0) * 0.62;
      g.appendChild(
        el('text', { x: lx, y: ly - 3, class: 'arrow-label', fill: colour, 'text-anchor': p.src === p.dst ? 'start' : 'middle' }, p.label),
      );
      arrows.appendChild(g);
    }
    if (p.receipts.length === 0) {
      const x1 = x(p.dst);
      // Short and steep, towards the receiver, so its label stays clear of the arrows' labels.
      const dx = p.src === p.dst ? 24 : Math.sign(x1 - x0) * Math.min(64, Math.abs(x1 - x0) * 0.22);
      const g = el('g', { class: `${cls} dangling`, 'data-packet': p.id, 'data-type': p.type });
      g.appendChild(
        titled(el('path', { d: `M${x0},${y0} l${dx},${stubDrop}`, stroke: colour, fill: 'none', 'stroke-dasharray': '3 3' }), title),
      );
      g.appendChild(el('circle', { cx: x0 + dx, cy: y0 + stubDrop, r: 2.5, fill: 'white', stroke: colour }));
      arrows.appendChild(g);
      const key = `${p.src} ${p.sentAt} ${p.type} ${Math.sign(dx)}`;
      const group = dangling.get(key);
      if (group === undefined || Math.abs(dx) > Math.abs(group.dx))
        dangling.set(key, { g, dx, x0, y0, colour, type: p.type, n: (group?.n ?? 0) + 1 });
      else group.n++;
    }
  }
  // One label per sender, step and type, at the end of the longest stub: `Heartbeat ×2`.
  for (const d of dangling.values()) {
    const attrs = {
      x: d.x0 + d.dx + (d.dx >= 0 ? 4 : -4),
      y: d.y0 + stubDrop + 4,
      class: 'dangling-label',
      fill: d.colour,
      'text-anchor': d.dx >= 0 ? 'start' : 'end',
    };
    d.g.appendChild(el('text', attrs, d.n > 1 ? `${d.type} ×${d.n}` : d.type));
  }
  svg.appendChild(arrows);

  // Action marks on the acting host's lifeline, then view changes and decisions.
  const marks = el('g', { class: 'marks' });
  for (const step of view.steps) {
    if (step.index === 0 || step.actor === undefined || !hostIndex.has(step.actor)) continue;
    const mark = actionMark(step);
    const w = Math.max(22, mark.length * 7 + 8);
    const g = titled(el('g', { class: 'action-mark', 'data-step': step.index, 'data-host': step.actor }), step.text);
    g.appendChild(el('rect', { x: x(step.actor) - w / 2, y: y(step.index) - 8, width: w, height: 16, rx: 3 }));
    g.appendChild(el('text', { x: x(step.actor), y: y(step.index) + 4 }, mark));
    marks.appendChild(g);
  }
  // Right of the host's action mark (the gutter is on the left); a second marker one line lower.
  const placed = new Map<string, number>();
  for (const m of view.markers) {
    const slot = placed.get(`${m.host} ${m.step}`) ?? 0;
    placed.set(`${m.host} ${m.step}`, slot + 1);
    const cx = x(m.host) + 42;
    const cy = y(m.step) - 4 + slot * 11;
    const g = titled(el('g', { class: `marker ${m.kind}`, 'data-step': m.step, 'data-host': m.host }), `${m.host}: ${m.label}`);
    if (m.kind === 'view') g.appendChild(el('path', { d: `M${cx},${cy - 5} l5,5 l-5,5 l-5,-5 z` }));
    else g.appendChild(el('circle', { cx, cy, r: 4.5 }));
    g.appendChild(el('text', { x: cx + 8, y: cy + 4, 'text-anchor': 'start' }, truncate(m.label, 26)));
    marks.appendChild(g);
  }
  svg.appendChild(marks);
  const both = document.createDocumentFragment();
  both.append(top, svg);
  return both;
}

/** A string usable in an id or class name. */
export function cssId(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, '_');
}
