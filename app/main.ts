// The page: reads the file, keeps the settings (in the URL and localStorage), asks the engine worker for fits and
// draws what comes back. Nothing heavy runs on this thread: loading, fitting, the bootstrap and report assembly all
// run in the engine worker and its pool.
import ENGINE_SOURCE from 'virtual:engine-source';
import { formatNumber } from '../src/core/formatNumber.ts';
import { LAWS } from '../src/laws/index.ts';
import { parseNumber } from '../src/data/parseNumber.ts';
import type { BudgetRow, ChartOut, DataSummary, FitOutcome, Reply, Request, Settings, TableOut } from './protocol.ts';

declare const vegaEmbed: (
  el: HTMLElement,
  spec: object,
  opts: object,
) => Promise<{ view: { toSVG(): Promise<string>; toImageURL(t: string, scale?: number): Promise<string> } }>;

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const CANONICAL = ['N', 'D', 'C', 'loss', 'S', 'U', 'run'] as const;

const DEFAULTS: Settings = {
  columns: {},
  where: [],
  excludeTopLoss: 0,
  computeUnit: 'flops',
  law: 'chinchilla',
  offset: false,
  loss: '',
  delta: '',
  space: '',
  starts: 'default',
  fix: [],
  tie: [],
  bounds: [],
  train: '',
  bootstrap: 0,
  seed: 0,
  level: 0.95,
  resample: 'rows',
  compute: [],
};
const STATE_KEY = 'scalefit-app:settings';
const FILE_KEY = 'scalefit-app:file';
const BUDGET_KEY = 'scalefit-app:budget';
/** Files up to this size are kept in localStorage, so a reload shows the same fit (localStorage holds about 5 MB). */
const KEEP_FILE_BYTES = 2_000_000;

// ---------------------------------------------------------------- state: URL hash first, then localStorage
function readSettings(): Settings {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('s');
  for (const text of [fromHash, localStorage.getItem(STATE_KEY)]) {
    if (!text) continue;
    try {
      return { ...DEFAULTS, ...(JSON.parse(text) as Partial<Settings>) };
    } catch {
      // A hand-edited or truncated URL: fall back to the next source.
    }
  }
  return { ...DEFAULTS };
}

function saveSettings(s: Settings): void {
  const changed = Object.fromEntries(
    Object.entries(s).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(DEFAULTS[k as keyof Settings])),
  );
  const text = JSON.stringify(changed);
  localStorage.setItem(STATE_KEY, text);
  const budgetText = $<HTMLInputElement>('budget-input').value;
  localStorage.setItem(BUDGET_KEY, budgetText);
  history.replaceState(null, '', `#${new URLSearchParams({ s: text, b: budgetText })}`);
}

/** The budgets asked for last (URL first, then localStorage), or Gopher's 5.76e23 FLOPs. */
function readBudget(): string {
  return new URLSearchParams(location.hash.slice(1)).get('b') ?? localStorage.getItem(BUDGET_KEY) ?? '5.76e23';
}

let settings = readSettings();
let file: { name: string; bytes: Uint8Array } | undefined;
let lastOutcome: FitOutcome | undefined;

// ---------------------------------------------------------------- the engine worker
const engineBlob = new Blob([ENGINE_SOURCE], { type: 'text/javascript' });
/** The vega script elements, as the HTML report inlines them (libraryScripts), for the downloaded report. */
const LIBRARIES = Array.from(document.scripts)
  .filter((s) => /^\/\* vega/.test(s.textContent ?? ''))
  .map((s) => `<script>${s.textContent}</script>`)
  .join('\n');
let engine: Worker;
let seq = 0;
const waiting = new Map<number, { resolve: (r: Reply) => void; onProgress?: (t: string) => void }>();

function startEngine(): void {
  engine = new Worker(URL.createObjectURL(engineBlob));
  engine.onmessage = (e: MessageEvent<Reply>) => {
    const w = waiting.get(e.data.id);
    if (!w) return;
    if (e.data.type === 'progress') return w.onProgress?.(e.data.text);
    waiting.delete(e.data.id);
    w.resolve(e.data);
  };
  engine.onerror = (e) => {
    for (const [id, w] of waiting)
      w.resolve({ type: 'error', id, message: `internal error: ${e.message} (a bug in scalefit: please report it)` });
    waiting.clear();
  };
  engine.postMessage({ type: 'init', source: engineBlob, libraries: LIBRARIES } satisfies Request);
}
startEngine();

type Ask = Request extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

function ask(req: Ask, onProgress?: (t: string) => void): Promise<Reply> {
  const id = ++seq;
  return new Promise((resolve) => {
    waiting.set(id, { resolve, ...(onProgress ? { onProgress } : {}) });
    // Copied, not transferred: the page keeps the file's bytes for the next fit.
    engine.postMessage({ ...req, id } as Request);
  });
}

/** Stop a running fit: the engine and its pool are terminated and a fresh one started. */
function restartEngine(): void {
  engine.terminate();
  for (const [id, w] of waiting) w.resolve({ type: 'error', id, message: 'cancelled' });
  waiting.clear();
  startEngine();
}

// ---------------------------------------------------------------- controls
const lawSelect = $<HTMLSelectElement>('law');
for (const name of Object.keys(LAWS).filter((n) => !n.endsWith('-offset')))
  lawSelect.add(new Option(`${name}: ${LAWS[name]!.formula}`, name));
$('cores').textContent =
  `bootstrap and grid fits run on ${navigator.hardwareConcurrency || 1} worker${navigator.hardwareConcurrency === 1 ? '' : 's'} (navigator.hardwareConcurrency); the same seed gives the same intervals as the CLI.`;

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
const FIELDS: Array<[keyof Settings, (el: HTMLInputElement) => unknown, (v: unknown) => string]> = [
  ['where', (el) => lines(el.value), (v) => (v as string[]).join('\n')],
  ['excludeTopLoss', (el) => Math.max(0, Math.floor(Number(el.value) || 0)), String],
  ['computeUnit', (el) => el.value, String],
  ['train', (el) => el.value.trim(), String],
  ['law', (el) => el.value, String],
  ['offset', (el) => el.checked, (v) => (v ? 'on' : '')],
  ['loss', (el) => el.value, String],
  ['delta', (el) => el.value.trim(), String],
  ['space', (el) => el.value, String],
  ['starts', (el) => el.value, String],
  ['fix', (el) => lines(el.value), (v) => (v as string[]).join('\n')],
  ['tie', (el) => lines(el.value), (v) => (v as string[]).join('\n')],
  ['bounds', (el) => lines(el.value), (v) => (v as string[]).join('\n')],
  ['bootstrap', (el) => Math.max(0, Math.floor(Number(el.value) || 0)), String],
  ['seed', (el) => Math.max(0, Math.floor(Number(el.value) || 0)), String],
  ['level', (el) => Number(el.value) || 0.95, String],
  ['resample', (el) => el.value, String],
];

function showSettings(): void {
  for (const [key, , show] of FIELDS) {
    const el = $<HTMLInputElement>(key);
    if (el.type === 'checkbox') el.checked = Boolean(settings[key]);
    else el.value = show(settings[key]);
  }
}

for (const [key, read] of FIELDS) {
  const el = $<HTMLInputElement>(key);
  const apply = () => {
    settings = { ...settings, [key]: read(el) };
    saveSettings(settings);
    schedule(el.tagName === 'SELECT' || el.type === 'checkbox' ? 0 : 400);
  };
  el.addEventListener(el.tagName === 'SELECT' || el.type === 'checkbox' ? 'change' : 'input', apply);
}

/** The column mapping: one select per canonical column, listing the file's headers. */
function showMapping(d: DataSummary | undefined): void {
  const box = $('mapping');
  box.replaceChildren();
  const headers = d?.header ?? [];
  for (const c of CANONICAL) {
    const label = document.createElement('label');
    label.textContent = `${c} column`;
    const sel = document.createElement('select');
    sel.id = `column-${c}`;
    const auto = d?.columns[c];
    sel.add(new Option(auto ? `auto: ${auto}` : 'auto: none', ''));
    for (const h of headers) sel.add(new Option(h, h));
    sel.value = settings.columns[c] && headers.includes(settings.columns[c]!) ? settings.columns[c]! : '';
    sel.addEventListener('change', () => {
      settings = { ...settings, columns: { ...settings.columns, [c]: sel.value } };
      saveSettings(settings);
      schedule(0);
    });
    label.append(sel);
    box.append(label);
  }
}

// ---------------------------------------------------------------- files
async function useFile(name: string, bytes: Uint8Array, keep = true): Promise<void> {
  file = { name, bytes };
  $('file-name').textContent = `${name} (${bytes.length.toLocaleString('en')} bytes)`;
  if (keep) {
    try {
      if (bytes.length <= KEEP_FILE_BYTES)
        localStorage.setItem(FILE_KEY, JSON.stringify({ name, text: new TextDecoder().decode(bytes) }));
      else localStorage.removeItem(FILE_KEY);
    } catch {
      localStorage.removeItem(FILE_KEY);
    }
  }
  schedule(0);
}

const drop = $('drop');
drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  const f = e.dataTransfer?.files[0];
  if (f) void f.arrayBuffer().then((b) => useFile(f.name, new Uint8Array(b)));
});
$<HTMLInputElement>('file').addEventListener('change', (e) => {
  const f = (e.target as HTMLInputElement).files?.[0];
  if (f) void f.arrayBuffer().then((b) => useFile(f.name, new Uint8Array(b)));
});
$('example').addEventListener('click', () => {
  const el = $('example-csv');
  void useFile(el.dataset.file!, new TextEncoder().encode(el.textContent ?? ''));
});

// ---------------------------------------------------------------- running
let timer: ReturnType<typeof setTimeout> | undefined;
let running = 0;

function schedule(ms: number): void {
  clearTimeout(timer);
  timer = setTimeout(() => void run(), ms);
}

function setStatus(text: string, busy = false): void {
  const el = $('status');
  el.textContent = text;
  el.classList.toggle('busy', busy);
  document.body.dataset.state = busy ? 'busy' : 'idle';
}

async function run(): Promise<void> {
  if (!file) return;
  if (running) restartEngine();
  const mine = ++running;
  const t0 = performance.now();
  setStatus(
    `fitting ${file.name}${settings.bootstrap ? ` with ${settings.bootstrap} bootstrap resamples` : ''}…`,
    true,
  );
  const reply = await ask({ type: 'fit', file: file.name, bytes: file.bytes, settings }, (t) => {
    if (mine === running) setStatus(t, true);
  });
  if (mine !== running) return;
  running = 0;
  if (reply.type === 'error') {
    if (reply.message === 'cancelled') return;
    showError(reply.message);
    // Show what the loader made of the file when the failure came later (a filter, the fit).
    const inspect = reply.data ? reply : await ask({ type: 'inspect', file: file.name, bytes: file.bytes, settings });
    const data = inspect.type === 'inspect' ? inspect.data : inspect.type === 'error' ? inspect.data : undefined;
    showData(data);
    $('fit').replaceChildren();
    $('tables').replaceChildren();
    $('charts').replaceChildren();
    $('budget').hidden = true;
    $('downloads').hidden = true;
    setStatus('fit failed: see the error below');
    document.body.dataset.fit = 'error';
    return;
  }
  if (reply.type !== 'fit') return;
  const o = reply.outcome;
  // The request's round trip (load, fit, uncertainty, report assembly in the worker) and the worker's own time: what
  // bench/app.ts reads.
  const fitMs = performance.now() - t0;
  document.body.dataset.fitMs = String(fitMs);
  document.body.dataset.workerMs = String(o.totalMs);
  lastOutcome = o;
  showError(null);
  showData(o.data);
  showFit(o);
  showDownloads(o);
  $('budget').hidden = false;
  void budget();
  setStatus(
    `fitted ${o.data.kept} runs of ${o.data.file} in ${formatNumber(fitMs, 3)} ms (${formatNumber(o.totalMs, 3)} ms in the worker)`,
  );
  await showCharts(o.charts);
  document.body.dataset.fit = 'done';
}

function showError(message: string | null): void {
  const el = $('error');
  el.hidden = message === null;
  el.textContent = message ?? '';
}

// ---------------------------------------------------------------- rendering
function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

function tableEl(t: TableOut): HTMLElement {
  const kv = t.headers.every((x) => x === '');
  const table = el('table', { class: kv ? 'kv' : 'grid', 'data-table': t.id });
  if (!kv) table.append(el('thead', {}, el('tr', {}, ...t.headers.map((x) => el('th', {}, x)))));
  table.append(el('tbody', {}, ...t.rows.map((r) => el('tr', {}, ...r.map((c) => el('td', {}, c))))));
  return el(
    'section',
    { id: `table-${t.id}` },
    el('h2', {}, t.title),
    el('div', { class: 'table-wrap' }, table),
    ...(t.note ? [el('p', { class: 'note' }, t.note)] : []),
  );
}

function showData(d: DataSummary | undefined): void {
  showMapping(d);
  const box = $('data');
  box.replaceChildren();
  if (!d) return;
  const rows: string[][] = [
    ['file', d.file],
    ['rows', d.kept || d.rowsRead ? `${d.rowsRead} read, ${d.rowsDropped} dropped, ${d.kept} kept` : 'not loaded'],
    ...Object.entries(d.columns).map(([k, v]): string[] => [`${k} from`, v]),
    ...(d.tagColumns.length ? [['tags', d.tagColumns.join(', ')]] : []),
    ...(d.filters.length ? [['filters', d.filters.join('; ')]] : []),
    ...(d.excludeTopLoss ? [['dropped highest losses', String(d.excludeTopLoss)]] : []),
    ...(d.missing.length ? [['missing', d.missing.join(', ')]] : []),
  ];
  box.append(tableEl({ id: 'loaded', title: 'What the loader made of the file', headers: ['', ''], rows }));
  if (d.warnings.length)
    box.append(
      el('ul', { class: 'warnings', id: 'warnings' }, ...d.warnings.map((w) => el('li', {}, `warning: ${w}`))),
    );
  if (d.preview.length) {
    const cols = ['line', 'run', 'N', 'D', 'C', 'loss'].filter((c) => d.preview.some((r) => r[c] !== undefined));
    box.append(
      tableEl({
        id: 'preview',
        title: `First ${d.preview.length} runs`,
        headers: cols,
        rows: d.preview.map((r) =>
          cols.map((c) =>
            typeof r[c] === 'number'
              ? c === 'line'
                ? String(r[c])
                : formatNumber(r[c] as number)
              : String(r[c] ?? ''),
          ),
        ),
      }),
    );
  }
}

function showFit(o: FitOutcome): void {
  const box = $('fit');
  box.replaceChildren();
  box.append(el('h2', {}, o.title), el('p', { class: 'note' }, o.formula));
  if (o.headline) box.append(el('p', { class: 'headline', id: 'headline' }, o.headline));
  for (const n of o.notes.filter((x) => !o.headline?.includes(x))) box.append(el('p', { class: 'note' }, n));
  // The parameters at full precision (shortest round-trip decimal), for copying and for the tests.
  const exact = el(
    'table',
    { class: 'grid', 'data-table': 'params-exact' },
    el('thead', {}, el('tr', {}, el('th', {}, 'parameter'), el('th', {}, 'value (full precision)'))),
    el(
      'tbody',
      {},
      ...Object.entries(o.params).map(([k, v]) =>
        el('tr', { 'data-param': k, 'data-value': String(v) }, el('td', {}, k), el('td', {}, String(v))),
      ),
    ),
  );
  // The parameters with their errors, then how far to trust the fit; the report's other tables after the charts.
  const first = (id: string) => id === 'params' || id.startsWith('trust');
  for (const t of o.tables.filter((x) => x.id === 'params')) box.append(tableEl(t));
  box.append(
    el(
      'details',
      { id: 'table-params-exact' },
      el('summary', {}, 'parameters at full precision'),
      el('div', { class: 'table-wrap' }, exact),
    ),
  );
  for (const t of o.tables.filter((x) => x.id.startsWith('trust'))) box.append(tableEl(t));
  $('tables').replaceChildren(...o.tables.filter((x) => !first(x.id)).map(tableEl));
}

const views = new Map<string, { toSVG(): Promise<string>; toImageURL(t: string, scale?: number): Promise<string> }>();

async function showCharts(charts: ChartOut[]): Promise<void> {
  const box = $('charts');
  box.replaceChildren();
  views.clear();
  await Promise.all(
    charts.map(async (c) => {
      const target = el('div', { class: 'chart', id: `chart-${c.id}`, 'data-chart': c.id });
      const wide = 'hconcat' in c.spec;
      const actions = el('p', { class: 'chart-actions' });
      for (const [label, kind] of [
        ['spec .vl.json', 'vl'],
        ['SVG', 'svg'],
        ['PNG', 'png'],
      ] as const) {
        const b = el(
          'button',
          { type: 'button', 'data-download': `${c.id}.${kind === 'vl' ? 'vl.json' : kind}` },
          label,
        );
        b.addEventListener('click', () => void downloadChart(c, kind));
        actions.append(b);
      }
      box.append(el('div', { class: `chart-box${wide ? ' wide' : ''}` }, el('h2', {}, c.title), target, actions));
      try {
        const r = await vegaEmbed(target, c.spec, { actions: false, renderer: 'svg' });
        views.set(c.id, r.view);
        target.setAttribute('data-rendered', 'yes');
      } catch (e) {
        target.setAttribute('data-rendered', 'error');
        target.textContent = `chart failed: ${(e as Error).message}`;
        console.error(e);
      }
    }),
  );
}

// ---------------------------------------------------------------- budget
async function budget(): Promise<void> {
  const o = lastOutcome;
  const out = $('budget-out');
  if (!o) return;
  const values = $<HTMLInputElement>('budget-input')
    .value.split(/[,\s]+/)
    .filter((x) => x !== '');
  const compute: number[] = [];
  for (const v of values) {
    const x = parseNumber(v);
    if (x === null || !(x > 6)) {
      out.replaceChildren(el('p', { class: 'error' }, `--compute ${v}: expected a number of FLOPs > 6, e.g. 5.76e23`));
      return;
    }
    compute.push(x);
  }
  const reply = await ask({ type: 'budget', fitJson: o.fitJson, compute, level: settings.level });
  if (reply.type === 'error') {
    out.replaceChildren(el('p', { class: 'error' }, reply.message));
    return;
  }
  if (reply.type !== 'budget') return;
  const f = (x: number | null) => (x === null ? '-' : formatNumber(x, 4));
  const ci = (x: [number, number] | null) => (x ? `[${formatNumber(x[0], 4)}, ${formatNumber(x[1], 4)}]` : '-');
  const level = `${Math.round(settings.level * 100)}%`;
  out.replaceChildren(
    tableEl({
      id: 'budget',
      title: 'Compute-optimal allocation',
      headers: [
        'C (FLOPs)',
        'N_opt',
        `N_opt ${level} ci`,
        'D_opt',
        `D_opt ${level} ci`,
        'tokens/param',
        'loss',
        `loss ${level} prediction interval`,
      ],
      rows: reply.rows.map((r: BudgetRow) => [
        formatNumber(r.C, 4),
        f(r.N_opt),
        ci(r.N_ci),
        f(r.D_opt),
        ci(r.D_ci),
        f(r.tokensPerParam),
        f(r.loss),
        ci(r.lossInterval),
      ]),
      note: reply.rows.some((r) => r.lossInterval)
        ? 'Intervals from the bootstrap resamples (loss: calibrated prediction interval, docs/prediction-intervals.md).'
        : 'Set bootstrap resamples above 0 for intervals.',
    }),
  );
}
$('budget-form').addEventListener('submit', (e) => {
  e.preventDefault();
  saveSettings(settings);
  void budget();
});

// ---------------------------------------------------------------- downloads
function save(name: string, data: string | Uint8Array | Blob, type: string): void {
  const blob = data instanceof Blob ? data : new Blob([data as BlobPart], { type });
  const a = el('a', { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

function showDownloads(o: FitOutcome): void {
  const box = $('download-buttons');
  box.replaceChildren();
  const stem = o.data.file.replace(/\.[^.]*$/, '');
  const kinds: Record<string, [string, string]> = {
    'fit.json': ['fit.json', 'application/json'],
    'report.md': ['report.md', 'text/markdown'],
    'index.html': [`${stem}-report.html`, 'text/html'],
    'predictions.csv': ['predictions.csv', 'text/csv'],
  };
  for (const f of o.files.filter((x) => x.path in kinds)) {
    const [name, type] = kinds[f.path]!;
    const b = el('button', { type: 'button', 'data-download': f.path }, name);
    b.addEventListener('click', () => save(name, f.data, type));
    box.append(b);
  }
  $('downloads').hidden = false;
}

async function downloadChart(c: ChartOut, kind: 'vl' | 'svg' | 'png'): Promise<void> {
  if (kind === 'vl') return save(`${c.id}.vl.json`, `${JSON.stringify(c.spec)}\n`, 'application/json');
  const view = views.get(c.id);
  if (!view) return;
  if (kind === 'svg') return save(`${c.id}.svg`, await view.toSVG(), 'image/svg+xml');
  const url = await view.toImageURL('png', 2);
  save(`${c.id}.png`, await (await fetch(url)).blob(), 'image/png');
}

// ---------------------------------------------------------------- start
$<HTMLInputElement>('budget-input').value = readBudget();
showSettings();
showMapping(undefined);
const kept = localStorage.getItem(FILE_KEY);
if (kept) {
  try {
    const { name, text } = JSON.parse(kept) as { name: string; text: string };
    void useFile(name, new TextEncoder().encode(text), false);
  } catch {
    localStorage.removeItem(FILE_KEY);
  }
}
