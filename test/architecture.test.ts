import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layers of src/, lowest first; a module may import its own layer and those below. bootstrap/ and parallel/
 * share a layer (the bootstrap runs on the worker pool, whose worker runs bootstrap chunks). src/index.ts (the public
 * API) sits on top.
 */
const LAYERS: string[][] = [
  ['core'],
  ['math'],
  ['laws'],
  ['data'],
  ['fit'],
  ['io'],
  ['analysis'],
  ['bootstrap', 'parallel'],
  ['report'],
  ['pipeline'],
  ['reproduce'],
  ['cli'],
  ['index.ts'],
];

/** Imports that run up a layer, on purpose (at most 2), each with its reason. */
const ALLOWED_UPWARD: Record<string, string> = {};

const SRC = 'src';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : /\.(ts|mjs)$/.test(f) ? [p] : [];
  });
}

/** Relative imports of a file (static `import`/`export ... from` and dynamic `import('...')`), as src/ paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g),
  ].map((m) => m[1] ?? m[2]!);
  return specs.map((s) => normalize(join(dirname(file), s)));
}

function layerOf(file: string): number {
  const top = relative(SRC, file).split(/[\\/]/)[0]!;
  const i = LAYERS.findIndex((l) => l.includes(top));
  if (i < 0) throw new Error(`${file}: not in any layer (add its folder to LAYERS)`);
  return i;
}

const files = sourceFiles(SRC);
const graph = new Map(files.map((f) => [f, importsOf(f)]));

/** Files on a cycle of imports (Tarjan's strongly connected components of size > 1, or a self-import). */
function cycles(): string[][] {
  let index = 0;
  const idx = new Map<string, number>(),
    low = new Map<string, number>(),
    stack: string[] = [],
    on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(c);
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

describe('the import graph of src/', () => {
  it('every relative import names a file that exists', () => {
    const missing = [...graph].flatMap(([f, ts]) => ts.filter((t) => !graph.has(t)).map((t) => `${f} -> ${t}`));
    expect(missing).toEqual([]);
  });

  it('has no cycle', () => {
    expect(cycles()).toEqual([]);
  });

  it(`has at most 2 imports that run up a layer, each named in ALLOWED_UPWARD`, () => {
    const upward = [...graph].flatMap(([f, ts]) =>
      ts.filter((t) => layerOf(t) > layerOf(f)).map((t) => `${f} -> ${t}`),
    );
    expect(upward.sort()).toEqual(Object.keys(ALLOWED_UPWARD).sort());
    expect(upward.length).toBeLessThanOrEqual(2);
  });

  it('laws/ imports only core/, math/, data/ and laws/', () => {
    const bad = [...graph]
      .filter(([f]) => relative(SRC, f).startsWith('laws'))
      .flatMap(([f, ts]) =>
        ts.filter((t) => !/^(core|math|data|laws)[\\/]/.test(relative(SRC, t))).map((t) => `${f} -> ${t}`),
      );
    expect(bad).toEqual([]);
  });

  it('the law-name test `law.name === ...` appears nowhere outside laws/', () => {
    const hits = files
      .filter((f) => !relative(SRC, f).startsWith('laws'))
      .filter((f) => /\b(?:law|fit)\.(?:name|law)\s*[!=]==\s*'/.test(readFileSync(f, 'utf8')));
    expect(hits).toEqual([]);
  });
});
