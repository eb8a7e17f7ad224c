/**
 * The explorer's HTTP server (`rsl explore`): serves the page (dist/web/page.html) in live mode on
 * 127.0.0.1 and answers its questions about the model. The server keeps no session: the page
 * names the path it walked as successor indices from the initial state (`?path=3,0,1`), and the
 * server replays it through a cache of the states already expanded, so going back is the page
 * dropping the last index.
 *
 *   GET /                       the page
 *   GET /api/view?path=…        the path as an ITF trace, the obligations on each of its states,
 *                               and the enabled successors of its last state (web/model/data.ts)
 *   GET /api/trace?path=…       the path as an ITF trace file that `rsl trace replay` accepts
 *
 * A malformed or impossible path is a 400, an unknown route a 404, another method a 405, a Host
 * header that is not this loopback address a 403 (so other sites cannot read it through DNS
 * rebinding), and a model that throws a 500: the server answers and keeps serving.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  fingerprintOf,
  traceToItf,
  violationsAlong,
  type Fingerprint,
  type Json,
  type Model,
  type Successor,
  type Trace,
  type TraceInfo,
} from '../checker/index.js';
import type { ExploreView, PageData, SuccessorData } from '../web/model/data.js';
import { embedPageData } from '../web/model/embed.js';
import { annotateTrace } from './pageData.js';

/** One step of a (possibly composite) successor, with the state it leads to. */
interface SubStep<S, A> {
  readonly action: A;
  readonly state: S;
  readonly fingerprint: Fingerprint;
}

/** A successor as the explorer keeps it: its sub-steps (one, or a composite's `via` and last) and its node. */
interface Edge<S, A> {
  readonly steps: readonly SubStep<S, A>[];
  readonly node: Node<S, A>;
}

/** A state reached in the explorer, with its successors once asked for. */
interface Node<S, A> {
  readonly state: S;
  readonly fingerprint: Fingerprint;
  successors?: Edge<S, A>[];
}

/**
 * A successor that may be composite: a model may list in `via` the intermediate sub-steps that lead
 * from the source to `state` (a scheduler round). Read structurally, so a model without them works.
 */
type MaybeComposite<S, A> = Successor<S, A> & { readonly via?: readonly { readonly action: A; readonly state: S }[] };

/** An explorer path longer than this is refused (a page never asks for one). */
const maxPathLength = 100_000;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ExplorerOptions {
  /** The built page (dist/web/page.html). */
  readonly template: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
}

export interface Explorer {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

/** Parses `3,0,1` (or the empty string) into successor indices. */
export function parsePath(text: string | null): number[] {
  if (text === null || text === '') return [];
  if (!/^[0-9]{1,9}(,[0-9]{1,9})*$/.test(text)) throw new HttpError(400, 'path must be successor indices separated by commas, like 0,3,1');
  const path = text.split(',').map(Number);
  if (path.length > maxPathLength) throw new HttpError(400, `path is longer than ${maxPathLength} steps`);
  return path;
}

function hostOfAction(json: Json): string | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const o = json as { readonly [key: string]: Json };
  for (const k of ['replica', 'client', 'host']) if (typeof o[k] === 'string') return o[k] as string;
  return undefined;
}

/** The explorer's model logic, apart from HTTP: paths of successor indices from an initial state. */
export class ExplorerModel<S, A> {
  private readonly root: Node<S, A>;

  constructor(readonly model: Model<S, A>) {
    const init = model.initStates()[0];
    if (init === undefined) throw new Error(`model ${model.name} has no initial state`);
    this.root = this.node(init);
  }

  private fingerprint(state: S): Fingerprint {
    return fingerprintOf(this.model.codec.encode(state));
  }

  private node(state: S): Node<S, A> {
    return { state, fingerprint: this.fingerprint(state) };
  }

  private successorsOf(n: Node<S, A>): Edge<S, A>[] {
    n.successors ??= this.model.successors(n.state).map((raw) => {
      const s = raw as MaybeComposite<S, A>;
      const node = this.node(s.state);
      const via = (s.via ?? []).map((v) => ({ action: v.action, state: v.state, fingerprint: this.fingerprint(v.state) }));
      return { steps: [...via, { action: s.action, state: s.state, fingerprint: node.fingerprint }], node };
    });
    return n.successors;
  }

  /** The successors taken along `path`; a 400 naming the first index that has no successor. */
  private walk(path: readonly number[]): { readonly last: Node<S, A>; readonly edges: Edge<S, A>[] } {
    let last = this.root;
    const edges: Edge<S, A>[] = [];
    path.forEach((i, k) => {
      const succ = this.successorsOf(last);
      const next = succ[i];
      if (next === undefined)
        throw new HttpError(400, `step ${k + 1}: state ${k} has ${succ.length} successors, so there is no successor ${i}`);
      edges.push(next);
      last = next.node;
    });
    return { last, edges };
  }

  /** The behaviour along `path`, every sub-step of a composite successor listed. */
  trace(path: readonly number[]): Trace<S, A> {
    const steps = this.walk(path).edges.flatMap((e) => e.steps);
    return {
      states: [this.root.state, ...steps.map((x) => x.state)],
      actions: steps.map((x) => x.action),
      fingerprints: [this.root.fingerprint, ...steps.map((x) => x.fingerprint)],
    };
  }

  /** The obligations an edge from `from` violates, on any of its sub-steps. */
  private violatedBy(from: S, edge: Edge<S, A>): string[] {
    const names = new Set<string>();
    let before = from;
    for (const step of edge.steps) {
      for (const inv of this.model.invariants) if (!inv.check(step.state).holds) names.add(inv.name);
      for (const p of this.model.stepProperties ?? []) if (!p.check(before, step.action, step.state).holds) names.add(p.name);
      before = step.state;
    }
    return [...names];
  }

  /** What the page shows for `path`. */
  view(path: readonly number[]): ExploreView {
    const { last, edges } = this.walk(path);
    const trace = this.trace(path);
    const ends = [0];
    for (const e of edges) ends.push(ends.at(-1)! + e.steps.length);
    const successors: SuccessorData[] = this.successorsOf(last).map((edge) => {
      const labels = edge.steps.map((x) => this.model.formatAction(x.action));
      const host = hostOfAction(this.model.actionToJson(edge.steps.at(-1)!.action));
      const violates = this.violatedBy(last.state, edge);
      return { label: labels.join(' ; '), ...(host === undefined ? {} : { host }), ...(violates.length === 0 ? {} : { violates }) };
    });
    return {
      trace: traceToItf(this.model, trace) as unknown as ExploreView['trace'],
      annotations: annotateTrace(this.model, trace, `Obligations evaluated on each state of the path, against ${this.model.name}.`),
      explore: { path: [...path], ends, successors, model: this.model.name },
    };
  }

  /** The path as an ITF trace file; it names the first obligation violated along it, if any. */
  traceFile(path: readonly number[]): string {
    const trace = this.trace(path);
    const v = violationsAlong(this.model, trace)[0];
    const info: TraceInfo = v === undefined ? {} : { property: v.property, kind: v.kind, explanation: v.explanation };
    return `${JSON.stringify(traceToItf(this.model, trace, info), null, 2)}\n`;
  }
}

function send(res: ServerResponse, status: number, type: string, body: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...extra });
  res.end(body);
}

function allowedHost(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host;
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/** Serves the explorer on 127.0.0.1; resolves once it listens. */
export async function startExplorer<S, A>(model: Model<S, A>, options: ExplorerOptions): Promise<Explorer> {
  const explorer = new ExplorerModel(model);
  const page: PageData = { title: `rsl explore — ${model.name}`, live: { api: '/api' } };
  const html = embedPageData(options.template, page);
  let port = 0;
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    if (!allowedHost(req, port)) throw new HttpError(403, 'this server answers only requests addressed to its loopback address');
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, `method ${req.method ?? ''} is not allowed`);
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    switch (url.pathname) {
      case '/':
      case '/index.html':
        return send(res, 200, 'text/html; charset=utf-8', html);
      case '/api/view':
        return send(res, 200, 'application/json', JSON.stringify(explorer.view(parsePath(url.searchParams.get('path')))));
      case '/api/trace': {
        const path = parsePath(url.searchParams.get('path'));
        return send(res, 200, 'application/json', explorer.traceFile(path), {
          'Content-Disposition': `attachment; filename="explore-${path.length}-steps.itf.json"`,
        });
      }
      default:
        throw new HttpError(404, `no such page: ${url.pathname}`);
    }
  };
  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (e) {
      const status = e instanceof HttpError ? e.status : 500;
      const message = e instanceof HttpError ? e.message : `the model failed: ${(e as Error).message}`;
      send(res, status, 'text/plain; charset=utf-8', `${message}\n`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
