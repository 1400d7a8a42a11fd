import { runCli as run } from './helpers/runCli.ts';
import { describe, expect, it } from 'vitest';

// fits/epoch-chinchilla.json is the committed output of `scalefit reproduce` (npm run examples).
describe('scalefit optimal with --inference-tokens / --unique-tokens', () => {
  it('main([optimal, fit, --compute, --inference-tokens]) gives what optimal-inference gives', async () => {
    const a = await run([
      'optimal',
      'fits/epoch-chinchilla.json',
      '--compute',
      '1e24',
      '--inference-tokens',
      '10T',
      '--json',
    ]);
    const b = await run([
      'optimal-inference',
      'fits/epoch-chinchilla.json',
      '--compute',
      '1e24',
      '--inference-tokens',
      '10T',
      '--json',
    ]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  it('main([optimal, fit, --unique-tokens]) gives what optimal-datacon gives', async () => {
    const args = [
      'fits/epoch-chinchilla.json',
      '--compute',
      '1e23',
      '--unique-tokens',
      '100B',
      '--r-d-star',
      '15.4',
      '--r-n-star',
      '5.3',
      '--json',
    ];
    const a = await run(['optimal', ...args]);
    const b = await run(['optimal-datacon', ...args]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  it('main([optimal, fit, two budgets, --inference-tokens]) is refused with exit 2', async () => {
    const r = await run([
      'optimal',
      'fits/epoch-chinchilla.json',
      '--compute',
      '1e23',
      '--compute',
      '1e24',
      '--inference-tokens',
      '1T',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/give one --compute/);
  });

  it('main([optimal, fit, --compute 1000, --compute-unit pf-days, --inference-tokens]) counts the budget in PF-days', async () => {
    // 1000 PF-days = 8.64e22 FLOPs (1 PF-day = 8.64e19 FLOPs); the unit must not be dropped in the hand-over.
    const a = await run([
      'optimal',
      'fits/epoch-chinchilla.json',
      '--compute',
      '1000',
      '--compute-unit',
      'pf-days',
      '--inference-tokens',
      '1T',
      '--json',
    ]);
    const b = await run([
      'optimal-inference',
      'fits/epoch-chinchilla.json',
      '--compute',
      '8.64e22',
      '--inference-tokens',
      '1T',
      '--json',
    ]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  it('main([optimal, fit, --compute 1000, --compute-unit pf-days, --unique-tokens]) counts the budget in PF-days', async () => {
    const args = ['--unique-tokens', '100B', '--r-d-star', '15.4', '--r-n-star', '5.3', '--json'];
    const a = await run([
      'optimal',
      'fits/epoch-chinchilla.json',
      '--compute',
      '1000',
      '--compute-unit',
      'pf-days',
      ...args,
    ]);
    const b = await run(['optimal-datacon', 'fits/epoch-chinchilla.json', '--compute', '8.64e22', ...args]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  it('main([optimal-inference, fit, --target-loss, --compute]) is refused with exit 2 instead of ignoring --compute', async () => {
    const r = await run([
      'optimal-inference',
      'fits/epoch-chinchilla.json',
      '--target-loss',
      '2.0',
      '--compute',
      '1e24',
      '--inference-tokens',
      '1T',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--target-loss or --compute/);
  });
});

describe('scalefit optimal --json: one shape in every mode', () => {
  const fit = 'fits/epoch-chinchilla.json';
  const modes: Array<[string, string[]]> = [
    ['compute-optimal', ['optimal', fit, '--compute', '1e23', '--compute', '1e24']],
    ['inference', ['optimal', fit, '--compute', '1e24', '--inference-tokens', '10T']],
    ['inference', ['optimal-inference', fit, '--target-loss', '2.0', '--inference-tokens', '1T']],
    [
      'data-constrained',
      ['optimal', fit, '--compute', '1e23', '--unique-tokens', '100B', '--r-d-star', '15.4', '--r-n-star', '5.3'],
    ],
  ];
  for (const [mode, args] of modes) {
    it(`main([${args.join(', ')}, --json]) has allocations[] with compute, N_opt, D_opt, tokens_per_param, loss (${mode})`, async () => {
      const r = await run([...args, '--json']);
      expect(r.code).toBe(0);
      const json = JSON.parse(r.stdout);
      expect(json.mode).toBe(mode);
      expect(json.compute_unit).toBe('FLOPs');
      expect(typeof json.formula).toBe('string');
      expect(json.allocations.length).toBeGreaterThan(0);
      for (const row of [...json.allocations, ...(json.chinchilla ? [json.chinchilla] : [])]) {
        for (const k of ['compute', 'N_opt', 'D_opt', 'tokens_per_param', 'loss'])
          expect(Number.isFinite(row[k]), k).toBe(true);
        // The columns mean the same thing in every mode: training compute 6ND, and D/N.
        expect(row.compute / (6 * row.N_opt * row.D_opt)).toBeCloseTo(1, 9);
        expect(row.tokens_per_param / (row.D_opt / row.N_opt)).toBeCloseTo(1, 12);
        if (mode === 'inference') expect(row.total_flops).toBeCloseTo(row.compute + row.inference_flops, -8);
        if (mode === 'data-constrained') expect(row.epochs).toBeCloseTo(row.D_opt / json.unique_tokens, 12);
      }
    });
  }
});
