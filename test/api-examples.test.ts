import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

// The public API is what src/index.ts exports. Each export must be documented where it is declared, and each value
// (function, constant, class) must carry an @example. The examples are collected here and run as one plain ES
// module that imports them by name from 'scalefit' (the package's own exports map, so the built dist/ that users
// get; test/helpers/globalSetup.ts keeps it current). A line `expr; // → value` also checks the value: a number to
// the digits shown, true, false, null, or a quoted string.

interface ApiExport {
  name: string;
  isValue: boolean;
  doc: string;
  examples: string[];
}

function publicApi(): ApiExport[] {
  const program = ts.createProgram(['src/index.ts'], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    allowImportingTsExtensions: true,
    noEmit: true,
    strict: true,
    skipLibCheck: true,
    types: ['node'],
  });
  const checker = program.getTypeChecker();
  const index = checker.getSymbolAtLocation(program.getSourceFile('src/index.ts')!)!;
  return checker.getExportsOfModule(index).map((s) => {
    const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
    return {
      name: s.name,
      isValue: (target.flags & ts.SymbolFlags.Value) !== 0,
      doc: ts.displayPartsToString(target.getDocumentationComment(checker)).trim(),
      examples: target
        .getJsDocTags(checker)
        .filter((t) => t.name === 'example')
        .map((t) => ts.displayPartsToString(t.text)),
    };
  });
}

/** An example as a block of the generated module: imports from 'scalefit' become reads of the namespace object. */
function exampleBlock(name: string, code: string, k: number): string {
  const body = code.split('\n').map((line, i) => {
    const imp = /^\s*import\s*(type\s*)?\{([^}]*)\}\s*from\s*'([^']+)';?\s*$/.exec(line);
    if (imp)
      return imp[1]
        ? ''
        : imp[3] === 'scalefit'
          ? `const {${imp[2]}} = scalefit;`
          : `const {${imp[2]}} = await import('${imp[3]}');`;
    const check = /^(\s*)(.+?);\s*\/\/\s*→\s*(.+?)\s*$/.exec(line);
    if (check)
      return `${check[1]}check(${check[2]}, ${JSON.stringify(check[3])}, ${JSON.stringify(`${name} example line ${i + 1}`)});`;
    return line;
  });
  return `// ${name} (example ${k + 1})\nawait (async () => {\n${body.join('\n')}\n})().catch((e) => { throw new Error(${JSON.stringify(`${name} @example: `)} + (e?.message ?? e)); });\n`;
}

const CHECK = `function check(actual, expected, where) {
  let ok;
  if (/^-?\\d/.test(expected)) {
    // The digits shown: 1.937 means within 0.0005, 6.7e10 within 0.05e10.
    const [mantissa, exponent = '0'] = expected.toLowerCase().split('e');
    const decimals = (mantissa.split('.')[1] ?? '').length;
    ok = typeof actual === 'number' && Math.abs(actual - Number(expected)) <= 0.5 * 10 ** (Number(exponent) - decimals) * (1 + 1e-12);
  } else if (expected === 'true' || expected === 'false' || expected === 'null') ok = actual === JSON.parse(expected);
  else if (/^'.*'$/.test(expected)) ok = actual === expected.slice(1, -1);
  else throw new Error(where + ': cannot read the expected value ' + expected);
  if (!ok) throw new Error(where + ': got ' + JSON.stringify(actual) + ', the comment says ' + expected);
}
`;

mkdirSync('tmp', { recursive: true });
const dir = mkdtempSync(join('tmp', 'api-examples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const api = publicApi();

describe("the public API (src/index.ts, import from 'scalefit')", () => {
  it('every export of src/index.ts has a doc comment where it is declared', () => {
    expect(api.length).toBeGreaterThan(40);
    expect(api.filter((e) => e.doc.length < 20).map((e) => e.name)).toEqual([]);
  });

  it('every function, constant and class exported by src/index.ts has an @example', () => {
    expect(api.filter((e) => e.isValue && e.examples.length === 0).map((e) => e.name)).toEqual([]);
  });

  it("every @example in the public API runs (and shows the right values) when imported from 'scalefit'", () => {
    const blocks = api.flatMap((e) => e.examples.map((code, k) => exampleBlock(e.name, code, k)));
    expect(blocks.length).toBeGreaterThan(25);
    const file = join(dir, 'examples.mjs');
    writeFileSync(
      file,
      `import * as scalefit from 'scalefit';\n${CHECK}\n${blocks.join('\n')}\nconsole.log('examples: ${blocks.length} ran');\n`,
    );
    const r = spawnSync(process.execPath, [file], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n').pop()).toBe(`examples: ${blocks.length} ran`);
  }, 120_000);
});
