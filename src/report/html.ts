import type { Chart } from './charts/index.ts';
import { escapeHtml as h, jsonForScript } from './escape.ts';
import type { ReportModel } from './model.ts';
import type { Table } from './tables.ts';
import { headline } from './tables.ts';
import { lawLabel } from './lawLabel.ts';

/** No network: everything the page needs is inline (vega compiles expressions with Function, hence unsafe-eval). */
const CSP = "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:";

const STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; margin: 2em auto; max-width: 1100px; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { font-size: 1.2em; margin-top: 1.8em; border-bottom: 1px solid #ddd; }
.headline { font-size: 1.1em; background: #f4f7fb; border-left: 4px solid #4c78a8; padding: 0.6em 1em; }
.note { color: #555; font-size: 0.9em; }
table { border-collapse: collapse; font-size: 0.88em; margin: 0.5em 0; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: right; font-variant-numeric: tabular-nums; }
th { background: #f6f6f6; } td:first-child, th:first-child { text-align: left; }
table.kv td:nth-child(2) { text-align: left; }
h2 { overflow-wrap: anywhere; }
.table-wrap { overflow-x: auto; max-width: 100%; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 460px), 1fr)); gap: 0 1.5em; }
.chart-box { min-width: 0; } .chart-box.wide { grid-column: 1 / -1; }
.chart { margin: 1em 0 2em; } .chart-error { color: #b00; }
.charts .chart.vega-embed { display: block; width: 100%; } .chart svg { display: block; width: 100%; height: auto; }
`;

function tableHtml(t: Table): string {
  const kv = t.headers.every((x) => x === '');
  const head = kv ? '' : `<thead><tr>${t.headers.map((x) => `<th>${h(x)}</th>`).join('')}</tr></thead>`;
  const body = t.rows.map((r) => `<tr>${r.map((c) => `<td>${h(c)}</td>`).join('')}</tr>`).join('\n');
  return `<section id="table-${h(t.id)}"><h2>${h(t.title)}</h2>
<div class="table-wrap"><table class="${kv ? 'kv' : 'grid'}" data-table="${h(t.id)}">${head}<tbody>
${body}
</tbody></table></div>${t.note ? `\n<p class="note">${h(t.note)}</p>` : ''}</section>`;
}

/**
 * The report as one self-contained HTML page: tables rendered here (every cell escaped), charts as Vega-Lite specs
 * in a JSON script element rendered in the page by vega-embed, with vega inlined (`libraries`: the script elements of
 * libraryScripts(), or the app's own copies in the browser) and a CSP that forbids the network.
 */
export function reportHtml(model: ReportModel, tables: Table[], charts: Chart[], libraries: string): string {
  const line = headline(model);
  return pageHtml({
    title: model.title,
    subtitleHtml: `${h(lawLabel(model.law.name))}: ${h(model.formula)} &middot; scalefit ${h(model.fit.scalefit)}`,
    ...(line ? { headline: line } : {}),
    notes: model.notes.filter((n) => !line?.includes(n)),
    tables,
    charts,
    libraries,
  });
}

/**
 * A self-contained report page (what {@link reportHtml} writes, for any report: the loss-curve report uses it too):
 * title, a subtitle given as HTML (the caller escapes what it interpolates), a headline, notes, tables, charts and the
 * library script elements.
 */
export function pageHtml(p: {
  title: string;
  subtitleHtml: string;
  headline?: string;
  notes: string[];
  tables: Table[];
  charts: Chart[];
  libraries: string;
}): string {
  const { charts, tables, libraries } = p;
  const line = p.headline;
  // Charts two a row on a laptop, one a row on a phone, each scaled to its column (side-by-side panels: a full row).
  const chartDivs = `<div class="charts">\n${charts.map((c) => `<div class="chart-box${'hconcat' in c.spec ? ' wide' : ''}"><h2>${h(c.title)}</h2>\n<div class="chart" id="chart-${h(c.id)}" data-chart="${h(c.id)}"></div></div>`).join('\n')}\n</div>`;
  const specs = jsonForScript(charts.map((c) => ({ id: c.id, spec: c.spec })));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(p.title)}</title>
<style>${STYLE}</style>
</head><body>
<h1>${h(p.title)}</h1>
<p class="note">${p.subtitleHtml}</p>
${line ? `<p class="headline" id="headline">${h(line)}</p>` : ''}
${p.notes.map((n) => `<p class="note">${h(n)}</p>`).join('\n')}
${tables.map(tableHtml).join('\n')}
${chartDivs}
<script type="application/json" id="chart-specs">${specs}</script>
${libraries}
<script>
(function () {
  var charts = JSON.parse(document.getElementById('chart-specs').textContent);
  charts.forEach(function (c) {
    var el = document.getElementById('chart-' + c.id);
    vegaEmbed(el, c.spec, { actions: false, renderer: 'svg' })
      .then(function () { el.setAttribute('data-rendered', 'yes'); })
      .catch(function (e) { el.setAttribute('data-rendered', 'error'); el.className += ' chart-error'; el.textContent = 'chart failed: ' + e.message; console.error(e); });
  });
})();
</script>
</body></html>
`;
}
