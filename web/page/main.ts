/**
 * The page: reads its data (embedded by `rsl trace view`, or fetched from `rsl explore`'s server),
 * draws the diagram, and shows for the selected step its packets, the obligations and the state
 * of every host with the changed fields highlighted. ←/→ (and Home/End) move between steps.
 */
import type { Annotations, ExploreData, ExploreView, PageData, VerdictData } from '../model/data.js';
import { packetsNamedIn } from '../model/explain.js';
import { packetDetails, packetLabel } from '../model/format.js';
import { parseItf, type ItfTrace } from '../model/itf.js';
import { buildTraceView, GLOBAL_HOST, type TraceView } from '../model/trace.js';
import { cssId, layout, renderDiagram, typeColours } from './diagram.js';

interface Violation {
  readonly name: string;
  readonly kind: string;
  readonly step: number;
  readonly explanation: string;
}

interface PageState {
  data: PageData;
  trace?: ItfTrace;
  view?: TraceView;
  annotations?: Annotations;
  explore?: ExploreData;
  selected: number;
  onlyChanges: boolean;
  hiddenTypes: Set<string>;
  violation?: Violation;
  witnesses: Set<number>;
}

function $(id: string): HTMLElement {
  const e = document.getElementById(id);
  if (e === null) throw new Error(`the page has no #${id}`);
  return e;
}

function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

function readData(): PageData {
  const text = document.getElementById('rsl-data')?.textContent ?? '{}';
  return JSON.parse(text) as PageData;
}

/**
 * The violation to explain: with annotations, the first state violating the property the file
 * names (else the first violation of any obligation); without, the one `#meta` names, at the end.
 */
function findViolation(trace: ItfTrace, annotations: Annotations | undefined): Violation | undefined {
  const meta = trace['#meta'] ?? {};
  const named = typeof meta.property === 'string' ? meta.property : undefined;
  if (annotations !== undefined) {
    const found: Violation[] = [];
    annotations.verdicts.forEach((row, i) =>
      row.forEach((v, k) => {
        const ob = annotations.obligations[k]!;
        if (v !== null && typeof v === 'object') found.push({ name: ob.name, kind: ob.kind, step: i, explanation: v.violated });
      }),
    );
    return found.find((v) => v.name === named) ?? found[0];
  }
  if (named === undefined) return undefined;
  return {
    name: named,
    kind: typeof meta.kind === 'string' ? meta.kind : 'invariant',
    step: trace.states.length - 1,
    explanation: typeof meta.explanation === 'string' ? meta.explanation : '',
  };
}

function setTrace(st: PageState, trace: ItfTrace, annotations: Annotations | undefined): void {
  st.trace = trace;
  st.annotations = annotations;
  st.view = buildTraceView(trace, annotations?.hostVars ?? {});
  st.violation = findViolation(trace, annotations);
  st.witnesses = new Set(
    st.violation === undefined
      ? []
      : packetsNamedIn(
          st.violation.explanation,
          st.view.packets.map((p) => p.value),
        ).map((i) => st.view!.packets[i]!.id),
  );
}

// ---------------------------------------------------------------------------------------------
// Rendering

function renderHeader(st: PageState): void {
  $('title').textContent = st.data.title;
  const meta = st.trace?.['#meta'] ?? {};
  const parts: string[] = [];
  if (st.data.source !== undefined) parts.push(st.data.source);
  if (typeof meta.model === 'string') parts.push(`model ${meta.model}`);
  else if (typeof meta.source === 'string') parts.push(`from ${meta.source}`);
  if (st.trace !== undefined) parts.push(`${st.trace.states.length} states`);
  if (st.view !== undefined) parts.push(`${st.view.hosts.length} hosts, ${st.view.packets.length} packets`);
  $('subtitle').textContent = parts.join(' · ');
  const notice = [st.data.notice, st.annotations?.note].filter((x): x is string => x !== undefined);
  $('notice').textContent = notice.join(' ');
  $('notice').hidden = notice.length === 0;
}

function renderViolation(st: PageState): void {
  const box = $('violation');
  box.replaceChildren();
  const v = st.violation;
  box.hidden = v === undefined;
  if (v === undefined || st.view === undefined) return;
  const go = h('button', { type: 'button', class: 'goto' }, `step ${v.step}`);
  go.addEventListener('click', () => select(st, v.step));
  box.append(h('h2', {}, 'Violated: ', h('span', { class: 'violated-name' }, v.name), ` (${v.kind}) at `, go));
  box.append(h('p', { class: 'explanation' }, v.explanation));
  const named = st.view.packets.filter((p) => st.witnesses.has(p.id));
  if (named.length > 0) {
    box.append(
      h(
        'p',
        { class: 'witness-title' },
        'Packets it names (red in the diagram): ',
        h('span', { class: 'witnesses' }, ...named.map((p) => h('code', {}, `${p.src}->${p.dst} ${p.label}`))),
      ),
    );
  }
}

function renderLegend(st: PageState): void {
  const legend = $('legend');
  legend.replaceChildren();
  if (st.view === undefined) return;
  for (const [type, colour] of typeColours(st.view)) {
    const box = h('input', { type: 'checkbox', 'data-type': type });
    (box as HTMLInputElement).checked = !st.hiddenTypes.has(type);
    box.addEventListener('change', () => {
      if ((box as HTMLInputElement).checked) st.hiddenTypes.delete(type);
      else st.hiddenTypes.add(type);
      applyFilters(st);
    });
    const swatch = h('span', { class: 'swatch' });
    swatch.style.background = colour;
    legend.append(h('label', {}, box, swatch, type));
  }
}

function applyFilters(st: PageState): void {
  for (const a of document.querySelectorAll<SVGGElement>('#diagram .arrow')) {
    a.classList.toggle('filtered', st.hiddenTypes.has(a.dataset.type ?? ''));
  }
}

function renderDiagramInto(st: PageState): void {
  const holder = $('diagram');
  holder.replaceChildren();
  if (st.view === undefined) return;
  holder.append(renderDiagram(st.view, { witnesses: st.witnesses, onSelect: (i) => select(st, i) }));
  applyFilters(st);
  fitDiagram();
}

function packetItem(st: PageState, id: number, what: string): HTMLElement {
  const p = st.view!.packets[id]!;
  const cls = st.witnesses.has(id) ? 'packet witness' : 'packet';
  return h(
    'li',
    { class: cls, 'data-packet': String(id) },
    h('span', { class: 'what' }, what),
    ` ${p.src}->${p.dst} `,
    h('code', {}, packetLabel(p.value)),
    h('div', { class: 'full' }, packetDetails(p.value)),
  );
}

function renderStep(st: PageState): void {
  const box = $('step');
  box.replaceChildren();
  if (st.view === undefined) return;
  const step = st.view.steps[st.selected];
  if (step === undefined) {
    box.append(h('p', { class: 'none' }, 'The trace has no states.'));
    return;
  }
  box.append(h('h2', { id: `step-${step.index}` }, `Step ${step.index} of ${st.view.steps.length - 1}`));
  box.append(h('p', { class: 'action-text' }, step.index === 0 ? 'initial state' : `${step.text}`));
  const list = h('ul', { class: 'packets', id: 'packets' });
  for (const id of step.received) list.append(packetItem(st, id, 'received'));
  for (const id of step.sent) list.append(packetItem(st, id, 'sent'));
  if (list.childElementCount === 0) list.append(h('li', { class: 'none' }, 'no packet received or sent'));
  box.append(list);
}

function verdictText(v: VerdictData | null | undefined): { cls: string; mark: string; word: string; text: string } {
  if (v === null || v === undefined) return { cls: 'na', mark: '–', word: 'n/a', text: 'no step leads to the initial state' };
  if (v === 'holds') return { cls: 'holds', mark: '✓', word: 'holds', text: 'holds, and its premise holds' };
  if (v === 'vacuous') return { cls: 'vacuous', mark: '○', word: 'vacuous', text: 'holds vacuously: its premise does not hold' };
  return { cls: 'violated', mark: '✗', word: 'violated', text: v.violated };
}

function renderObligations(st: PageState): void {
  const box = $('obligations');
  box.replaceChildren(h('h2', {}, 'Obligations'));
  const a = st.annotations;
  if (a === undefined) {
    box.append(h('p', { class: 'none' }, "No obligation data: the CLI computes it when it knows the trace's model."));
    return;
  }
  const row = a.verdicts[st.selected] ?? [];
  const counts = { holds: 0, vacuous: 0, violated: 0 };
  const order = a.obligations.map((ob, k) => ({ ob, v: verdictText(row[k]) }));
  for (const { v } of order) if (v.cls in counts) counts[v.cls as keyof typeof counts]++;
  box.append(
    h(
      'p',
      { class: 'summary' },
      `In state ${st.selected}: ${counts.violated} violated, ${counts.holds} hold with their premise, ${counts.vacuous} hold vacuously.`,
    ),
  );
  const rank = (cls: string): number => ['violated', 'holds', 'vacuous', 'na'].indexOf(cls);
  order.sort((x, y) => rank(x.v.cls) - rank(y.v.cls));
  const table = h('table', { class: 'obligation-table' });
  for (const { ob, v } of order) {
    const name = h('td', { class: 'name' }, ob.name, h('span', { class: 'kind' }, ob.kind === 'step' ? ' (step)' : ''));
    if (v.cls === 'violated') name.append(h('div', { class: 'verdict' }, v.text));
    const tr = h(
      'tr',
      { class: `obligation ${v.cls}`, 'data-name': ob.name },
      h('td', { class: 'mark' }, v.mark),
      name,
      h('td', { class: 'word' }, v.word),
    );
    tr.title = `${v.text}${ob.description === undefined ? '' : ` — ${ob.description}`}`;
    table.append(tr);
  }
  box.append(table);
  if (a.scenarios !== undefined && a.reached !== undefined) {
    const reached = a.reached[st.selected] ?? [];
    box.append(h('h3', {}, 'Scenarios'));
    box.append(
      h(
        'ul',
        { class: 'scenarios' },
        ...a.scenarios.map((sc, k) =>
          h(
            'li',
            { class: reached[k] === true ? 'reached' : 'unreached', title: sc.description ?? '' },
            `${reached[k] === true ? '✓' : '·'} ${sc.name}`,
          ),
        ),
      ),
    );
  }
}

function renderState(st: PageState): void {
  const box = $('state');
  box.replaceChildren();
  if (st.view === undefined) return;
  const hostStates = st.view.states[st.selected] ?? [];
  for (const hs of hostStates) {
    const fields = st.onlyChanges ? hs.fields.filter((f) => f.changed) : hs.fields;
    if (fields.length === 0 && st.onlyChanges) continue;
    const section = h('section', { class: 'host-state', 'data-host': hs.host }, h('h3', {}, hs.host === GLOBAL_HOST ? 'global' : hs.host));
    const groups = [...new Set(fields.map((f) => f.group))];
    for (const g of groups) {
      const table = h('table', { class: 'fields' });
      for (const f of fields.filter((x) => x.group === g)) {
        const value = f.changed
          ? h('td', { class: 'value' }, h('del', {}, f.before ?? ''), ' → ', h('ins', {}, f.text))
          : h('td', { class: 'value' }, f.text);
        table.append(
          h(
            'tr',
            { class: f.changed ? 'field changed' : 'field', 'data-path': `${g}.${f.path}` },
            h('td', { class: 'path' }, f.path),
            value,
          ),
        );
      }
      section.append(h('div', { class: `group group-${cssId(g)}` }, h('h4', {}, g), table));
    }
    box.append(section);
  }
  if (box.childElementCount === 0) box.append(h('p', { class: 'none' }, st.onlyChanges ? 'nothing changed at this step' : 'no state'));
}

function renderExplore(st: PageState): void {
  const box = $('explore');
  box.hidden = st.explore === undefined;
  box.replaceChildren();
  const ex = st.explore;
  if (ex === undefined) return;
  const back = h('button', { type: 'button', id: 'back' }, '← back');
  (back as HTMLButtonElement).disabled = ex.path.length === 0;
  back.addEventListener('click', () => void go(st, ex.path.slice(0, -1)));
  const save = h(
    'a',
    { id: 'save', href: `${st.data.live!.api}/trace?path=${ex.path.join(',')}`, download: 'explore.itf.json' },
    'save trace (ITF)',
  );
  const bar = h('div', { class: 'explore-bar' }, back, save);
  // Branching off: the selected row is a state the path passed through before its last one.
  const at = ex.ends.indexOf(st.selected);
  if (at >= 0 && at < ex.path.length) {
    const branch = h('button', { type: 'button', id: 'branch' }, `continue from step ${st.selected}`);
    branch.addEventListener('click', () => void go(st, ex.path.slice(0, at)));
    bar.append(branch);
  }
  box.append(h('h2', {}, `Explore ${ex.model}`), bar);
  const here = (st.view?.steps.length ?? 1) - 1;
  box.append(
    h('p', { class: 'summary' }, `${ex.successors.length} enabled successor${ex.successors.length === 1 ? '' : 's'} of state ${here}:`),
  );
  const list = h('ol', { class: 'successors', start: '0' });
  ex.successors.forEach((s, i) => {
    const b = h('button', { type: 'button', class: 'successor', 'data-index': String(i) }, s.label);
    b.addEventListener('click', () => void go(st, [...ex.path, i]));
    const warn =
      s.violates !== undefined && s.violates.length > 0 ? h('span', { class: 'violates' }, ` violates ${s.violates.join(', ')}`) : '';
    list.append(h('li', {}, b, warn));
  });
  box.append(list);
}

/** The diagram scrolls inside the window: as tall as what is left below its top edge. */
function fitDiagram(): void {
  const holder = $('diagram');
  const top = holder.getBoundingClientRect().top + window.scrollY;
  holder.style.maxHeight = `${Math.max(300, window.innerHeight - top - 12)}px`;
}

/** Scrolls the diagram (not the page) so the selected row is visible. */
function scrollToRow(step: number): void {
  const holder = $('diagram');
  const band = document.querySelector<SVGRectElement>(`#diagram .row[data-step="${step}"] rect`);
  if (band === null) return;
  const top = Number(band.getAttribute('y'));
  const bottom = top + Number(band.getAttribute('height'));
  // The host names stay on top (sticky), over the first `layout.header` pixels of the view.
  if (top < holder.scrollTop + layout.header) holder.scrollTop = Math.max(0, top - layout.header);
  else if (bottom > holder.scrollTop + holder.clientHeight) holder.scrollTop = bottom - holder.clientHeight + 4;
}

function renderSelection(st: PageState): void {
  for (const r of document.querySelectorAll<SVGGElement>('#diagram .row'))
    r.classList.toggle('selected', Number(r.dataset.step) === st.selected);
  for (const a of document.querySelectorAll<SVGGElement>('#diagram .arrow'))
    a.classList.toggle('current', Number(a.dataset.step) === st.selected);
  scrollToRow(st.selected);
  renderStep(st);
  renderObligations(st);
  renderState(st);
  renderExplore(st);
  $('position').textContent = `step ${st.selected} / ${(st.view?.steps.length ?? 1) - 1}`;
}

function renderAll(st: PageState): void {
  renderHeader(st);
  renderViolation(st);
  renderLegend(st);
  renderDiagramInto(st);
  renderSelection(st);
}

function select(st: PageState, step: number): void {
  const last = (st.view?.steps.length ?? 1) - 1;
  st.selected = Math.max(0, Math.min(last, step));
  renderSelection(st);
}

// ---------------------------------------------------------------------------------------------
// The explorer

async function go(st: PageState, path: readonly number[]): Promise<void> {
  const api = st.data.live!.api;
  const status = $('status');
  status.textContent = 'loading…';
  try {
    const res = await fetch(`${api}/view?path=${path.join(',')}`);
    if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
    const v = (await res.json()) as ExploreView;
    setTrace(st, parseItf(v.trace), v.annotations);
    st.explore = v.explore;
    st.selected = v.trace.states.length - 1;
    renderAll(st);
    status.textContent = '';
  } catch (e) {
    status.textContent = `the explorer did not answer: ${(e as Error).message}`;
  }
}

// ---------------------------------------------------------------------------------------------

function start(): void {
  const data = readData();
  const st: PageState = { data, selected: 0, onlyChanges: false, hiddenTypes: new Set(), witnesses: new Set() };
  const only = $('only-changes') as HTMLInputElement;
  only.addEventListener('change', () => {
    st.onlyChanges = only.checked;
    renderState(st);
  });
  document.addEventListener('keydown', (e) => {
    const typing =
      (e.target instanceof HTMLInputElement && e.target.type !== 'checkbox') ||
      e.target instanceof HTMLTextAreaElement ||
      e.target instanceof HTMLSelectElement;
    if (typing || e.altKey || e.ctrlKey || e.metaKey) return;
    const moves: Record<string, number> = {
      ArrowLeft: st.selected - 1,
      ArrowRight: st.selected + 1,
      Home: 0,
      End: Number.MAX_SAFE_INTEGER,
    };
    const to = moves[e.key];
    if (to === undefined) return;
    e.preventDefault();
    select(st, to);
  });
  window.addEventListener('hashchange', () => fromHash(st));
  window.addEventListener('resize', () => {
    fitDiagram();
    scrollToRow(st.selected);
  });
  if (data.live !== undefined) {
    void go(st, []);
    return;
  }
  if (data.trace !== undefined) {
    try {
      setTrace(st, parseItf(data.trace), data.annotations);
    } catch (e) {
      $('status').textContent = (e as Error).message;
    }
  }
  st.selected = st.violation?.step ?? 0;
  renderAll(st);
  fromHash(st);
}

/** `#step-N` selects step N and shows its packets. */
function fromHash(st: PageState): void {
  const m = location.hash.match(/^#step-([0-9]+)$/);
  if (m === null) return;
  select(st, Number(m[1]));
  document.getElementById('step')?.scrollIntoView({ block: 'start' });
}

start();
