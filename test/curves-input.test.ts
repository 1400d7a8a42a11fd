import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCurves, readSchedule } from '../src/data/readCurves.ts';
import { makeSchedule } from '../src/math/makeSchedule.ts';
import { interpolateSchedule } from '../src/math/interpolateSchedule.ts';
import { scheduleAreas } from '../src/math/scheduleAreas.ts';
import { runCli } from './helpers/runCli.ts';

let dir: string;
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scalefit-curves-'));
});

describe('makeSchedule(spec) builds the built-in schedules', () => {
  const base = { steps: 1000, peakLr: 1e-3, warmup: 100, finalLr: 1e-4, cooldown: 0.2 } as const;
  it('makeSchedule warms up linearly from 0 to the peak over the warmup steps', () => {
    const { lr } = makeSchedule({ ...base, kind: 'cosine' });
    expect(lr.length).toBe(1001);
    expect(lr[0]).toBe(0);
    expect(lr[50]).toBeCloseTo(5e-4, 15);
    expect(lr[100]).toBe(1e-3);
  });
  it('makeSchedule ends cosine and linear at the final rate, cosine at the mid-point half-way', () => {
    const cos = makeSchedule({ ...base, kind: 'cosine' }).lr;
    expect(cos[1000]).toBeCloseTo(1e-4, 15);
    expect(cos[550]).toBeCloseTo((1e-3 + 1e-4) / 2, 15);
    const lin = makeSchedule({ ...base, kind: 'linear' }).lr;
    expect(lin[550]).toBeCloseTo((1e-3 + 1e-4) / 2, 15);
    expect(makeSchedule({ ...base, kind: 'constant' }).lr[1000]).toBe(1e-3);
  });
  it('makeSchedule holds wsd at the peak until the last cooldown fraction of all steps, then decays linearly', () => {
    const { lr } = makeSchedule({ ...base, kind: 'wsd' });
    expect(lr[800]).toBe(1e-3);
    expect(lr[900]).toBeCloseTo(5.5e-4, 15);
    expect(lr[1000]).toBeCloseTo(1e-4, 15);
    expect(makeSchedule({ ...base, kind: 'wsd', cooldown: 0 }).lr[1000]).toBe(1e-3);
  });
  it('makeSchedule refuses specs that describe no schedule, in one line', () => {
    expect(() => makeSchedule({ ...base, kind: 'wsd', steps: 0 })).toThrow(/steps must be a whole number >= 1/);
    expect(() => makeSchedule({ ...base, kind: 'wsd', warmup: 1000 })).toThrow(/warmup must be/);
    expect(() => makeSchedule({ ...base, kind: 'wsd', finalLr: 2e-3 })).toThrow(/final learning rate/);
    expect(() => makeSchedule({ ...base, kind: 'wsd', peakLr: 0 })).toThrow(/peak learning rate must be > 0/);
    expect(() => makeSchedule({ ...base, kind: 'wsd', cooldown: 1.5 })).toThrow(/cooldown fraction/);
  });
  it('scheduleAreas gives the forward area over steps 1..s and the warmup end', () => {
    const a = scheduleAreas(makeSchedule({ ...base, kind: 'constant' }));
    expect(a.peak).toBe(100);
    expect(a.forward[100]).toBeCloseTo((1e-3 * 101) / 2, 15);
    expect(a.forward[1000]).toBeCloseTo((1e-3 * 101) / 2 + 900 * 1e-3, 14);
  });
  it('interpolateSchedule is linear between logged steps and flat before the first', () => {
    expect([...interpolateSchedule([2, 4], [1, 3]).lr]).toEqual([1, 1, 1, 2, 3]);
  });
});

describe('readCurves(file) loads loss curves with their schedules', () => {
  it('readCurves reads a wandb export (_step, train/loss, lr) into one curve per run, step 0 giving the schedule only', async () => {
    const p = file(
      'wandb.csv',
      'run,_step,lr,train/loss\na,0,0,10.8\na,100,1e-3,4\na,200,1e-3,3.5\nb,0,1e-3,10.8\nb,100,5e-4,3.9\n',
    );
    const c = await readCurves(p);
    expect(c.curves.map((x) => x.run)).toEqual(['a', 'b']);
    expect(c.curves[0]!.checkpoints.map((r) => r.S)).toEqual([100, 200]);
    expect(c.curves[0]!.schedule.lr[50]).toBeCloseTo(5e-4, 15);
    expect(c.checkpoints).toHaveLength(3);
    expect(c.checkpoints[0]!.schedule).toBe(c.curves[0]!.schedule);
    expect(c.lrColumn).toBe('lr');
  });
  it('readCurves takes tokens per step from D (tokens so far) over the step', async () => {
    const c = await readCurves(
      file('tokens.csv', 'run,step,tokens,learning_rate,loss\na,100,1M,1e-3,4\na,200,2M,1e-3,3.5\n'),
    );
    expect(c.curves[0]!.tokensPerStep).toBe(10_000);
  });
  it('readCurves loads the same curves from JSON lines as from CSV', async () => {
    const csv = await readCurves(file('same.csv', 'run,step,lr,loss\na,1,1e-3,4\na,2,1e-3,3.9\n'));
    const jsonl = await readCurves(
      file('same.jsonl', '{"run":"a","step":1,"lr":0.001,"loss":4}\n{"run":"a","step":2,"lr":0.001,"loss":3.9}\n'),
    );
    expect([...jsonl.curves[0]!.schedule.lr]).toEqual([...csv.curves[0]!.schedule.lr]);
    expect(jsonl.checkpoints.map((r) => [r.S, r.loss])).toEqual(csv.checkpoints.map((r) => [r.S, r.loss]));
  });
  it('readCurves refuses steps that do not increase within a run, naming the line', async () => {
    await expect(readCurves(file('order.csv', 'run,step,lr,loss\na,100,1e-3,4\na,100,1e-3,3.9\n'))).rejects.toThrow(
      /order\.csv:3: run "a": step 100 does not come after step 100 \(line 2\)/,
    );
  });
  it('readCurves refuses a missing or negative learning rate, naming line and column', async () => {
    await expect(readCurves(file('nolr.csv', 'run,step,loss\na,1,4\n'))).rejects.toThrow(/no learning-rate column/);
    await expect(readCurves(file('neglr.csv', 'run,step,lr,loss\na,1,-1e-3,4\n'))).rejects.toThrow(
      /neglr\.csv:2: column "lr": the learning rate -1e-3 is negative/,
    );
    await expect(readCurves(file('blanklr.csv', 'run,step,lr,loss\na,1,,4\n'))).rejects.toThrow(
      /blanklr\.csv:2: column "lr": the learning rate is empty/,
    );
  });
  it('readCurves refuses a fractional step and a file without a step column', async () => {
    await expect(readCurves(file('frac.csv', 'run,step,lr,loss\na,1.5,1e-3,4\n'))).rejects.toThrow(
      /frac\.csv:2: the step 1.5 is not a whole number/,
    );
    await expect(readCurves(file('nostep.csv', 'run,lr,loss\na,1e-3,4\n'))).rejects.toThrow(/no step column/);
  });
  it('readCurves reads --lr-column HEADER when the header is not an alias', async () => {
    const c = await readCurves(file('lrcol.csv', 'run,step,lr-AdamW,loss\na,1,1e-3,4\n'), { lrColumn: 'lr-AdamW' });
    expect(c.curves[0]!.schedule.lr[1]).toBe(1e-3);
  });
  it('readSchedule reads a file of steps and rates without losses', async () => {
    const s = await readSchedule(file('sched.csv', 'step,lr\n0,0\n10,1e-3\n20,1e-3\n'));
    expect(s.lr.length).toBe(21);
    expect(s.lr[5]).toBeCloseTo(5e-4, 15);
  });
  it('scalefit fit-curves exits 2 with one line for a curves file without a learning rate', async () => {
    const r = await runCli(['fit-curves', file('cli-nolr.csv', 'run,step,loss\na,1,4\n')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/no learning-rate column/);
  });
  it('the bundled example curves are what scripts/make-example-curves.ts writes', async () => {
    const { exampleCurvesCsv } = await import('../scripts/make-example-curves.ts');
    expect(exampleCurvesCsv()).toBe(readFileSync('data/examples/curves.csv', 'utf8'));
  });
});
