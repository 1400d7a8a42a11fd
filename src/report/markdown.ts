import type { Chart } from './charts/index.ts';
import { escapeMarkdown as e } from './escape.ts';
import type { ReportModel } from './model.ts';
import type { Table } from './tables.ts';
import { headline } from './tables.ts';
import { lawLabel } from './lawLabel.ts';

function tableMd(t: Table): string {
  // A key-value table (no headers) as a list: GitHub draws a Markdown table's header row even when it is empty.
  if (t.headers.every((x) => x === '')) {
    const lines = [
      `## ${e(t.title)}`,
      '',
      ...t.rows.map((r) => `- **${e(r[0] ?? '')}**: ${r.slice(1).map(e).join(' ')}`),
    ];
    if (t.note) lines.push('', e(t.note));
    return lines.join('\n');
  }
  const lines = [
    `## ${e(t.title)}`,
    '',
    `| ${t.headers.map(e).join(' | ')} |`,
    `|${t.headers.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`,
    ...t.rows.map((r) => `| ${r.map(e).join(' | ')} |`),
  ];
  if (t.note) lines.push('', e(t.note));
  return lines.join('\n');
}

/** The report as Markdown: the same tables as the HTML page (every cell escaped) and the charts as SVG files beside it. */
export function reportMarkdown(model: ReportModel, tables: Table[], charts: Chart[]): string {
  const line = headline(model);
  return pageMarkdown({
    title: model.title,
    subtitle: `${e(lawLabel(model.law.name))}: \`${model.formula.replace(/`/g, '')}\``,
    ...(line ? { headline: line } : {}),
    notes: model.notes.filter((n) => !line?.includes(n)),
    tables,
    charts,
  });
}

/** A report page as Markdown (what {@link reportMarkdown} writes, for any report): the subtitle is Markdown, escaped by the caller. */
export function pageMarkdown(p: {
  title: string;
  subtitle: string;
  headline?: string;
  notes: string[];
  tables: Table[];
  charts: Chart[];
}): string {
  const line = p.headline;
  const parts = [
    `# ${e(p.title)}`,
    '',
    p.subtitle,
    ...(line ? ['', `**${e(line)}**`] : []),
    ...p.notes.map((n) => `\n${e(n)}`),
    '',
    p.tables.map(tableMd).join('\n\n'),
    '',
    ...p.charts.flatMap((c) => [
      `## ${e(c.title)}`,
      '',
      `![${e(c.title)}](charts/${c.id}.svg)`,
      '',
      `[PNG](charts/${c.id}.png)`,
      '',
    ]),
  ];
  return `${parts.join('\n').trimEnd()}\n`;
}
