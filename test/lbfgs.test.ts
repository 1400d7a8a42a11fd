import { describe, expect, it } from 'vitest';
import { lbfgs } from '../src/math/lbfgs.ts';

// Standard test functions (Moré, Garbow & Hillstrom 1981) with known minima.
const problems: Array<{
  name: string;
  x0: number[];
  xStar: number[];
  fg: (x: Float64Array, g: Float64Array) => number;
}> = [
  {
    name: 'Rosenbrock 2-D',
    x0: [-1.2, 1],
    xStar: [1, 1],
    fg: (x, g) => {
      const [a, b] = [x[0]!, x[1]!];
      g[0] = -400 * a * (b - a * a) - 2 * (1 - a);
      g[1] = 200 * (b - a * a);
      return 100 * (b - a * a) ** 2 + (1 - a) ** 2;
    },
  },
  {
    name: 'Rosenbrock 10-D (extended)',
    x0: Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? -1.2 : 1)),
    xStar: Array(10).fill(1),
    fg: (x, g) => {
      let f = 0;
      g.fill(0);
      for (let i = 0; i < x.length - 1; i++) {
        const a = x[i]!,
          b = x[i + 1]!;
        f += 100 * (b - a * a) ** 2 + (1 - a) ** 2;
        g[i]! += -400 * a * (b - a * a) - 2 * (1 - a);
        g[i + 1]! += 200 * (b - a * a);
      }
      return f;
    },
  },
  {
    name: 'Beale',
    x0: [1, 1],
    xStar: [3, 0.5],
    fg: (x, g) => {
      const [a, b] = [x[0]!, x[1]!];
      const t1 = 1.5 - a + a * b,
        t2 = 2.25 - a + a * b * b,
        t3 = 2.625 - a + a * b ** 3;
      g[0] = 2 * t1 * (b - 1) + 2 * t2 * (b * b - 1) + 2 * t3 * (b ** 3 - 1);
      g[1] = 2 * t1 * a + 2 * t2 * 2 * a * b + 2 * t3 * 3 * a * b * b;
      return t1 ** 2 + t2 ** 2 + t3 ** 2;
    },
  },
  {
    name: 'ill-conditioned quadratic (condition 1e6)',
    x0: [1, 1, 1, 1],
    xStar: [0, 0, 0, 0],
    fg: (x, g) => {
      const w = [1, 1e2, 1e4, 1e6];
      let f = 0;
      for (let i = 0; i < 4; i++) {
        f += 0.5 * w[i]! * x[i]! ** 2;
        g[i] = w[i]! * x[i]!;
      }
      return f;
    },
  },
  {
    name: 'Powell singular',
    x0: [3, -1, 0, 1],
    xStar: [0, 0, 0, 0],
    fg: (x, g) => {
      const [a, b, c, d] = [x[0]!, x[1]!, x[2]!, x[3]!];
      g[0] = 2 * (a + 10 * b) + 40 * (a - d) ** 3;
      g[1] = 20 * (a + 10 * b) + 4 * (b - 2 * c) ** 3;
      g[2] = 10 * (c - d) - 8 * (b - 2 * c) ** 3;
      g[3] = -10 * (c - d) - 40 * (a - d) ** 3;
      return (a + 10 * b) ** 2 + 5 * (c - d) ** 2 + (b - 2 * c) ** 4 + 10 * (a - d) ** 4;
    },
  },
];

describe('lbfgs', () => {
  for (const p of problems) {
    it(`lbfgs(${p.name}) reaches the known minimum`, () => {
      const r = lbfgs(p.fg, p.x0, { gtol: 1e-10, ftol: 0, maxIterations: 5000 });
      expect(r.converged).toBe(true);
      // Powell's singular function has a degenerate (quartic) minimum: x converges only like f^(1/4).
      const tol = p.name.startsWith('Powell') ? 2e-2 : 1e-5;
      r.x.forEach((v, i) => expect(Math.abs(v - p.xStar[i]!)).toBeLessThan(tol));
    });
  }

  it('lbfgs abandons a start with a non-finite objective instead of throwing', () => {
    const r = lbfgs(
      (x, g) => {
        g[0] = NaN;
        return Math.log(x[0]! - 5);
      },
      [0],
    );
    expect(r.converged).toBe(false);
    expect(r.status).toBe('nonfinite');
  });

  it('lbfgs treats non-finite trial points as too long a step', () => {
    // f = x - log(x) has its minimum at x = 1 and is NaN for x < 0: steps past zero must be shortened.
    const r = lbfgs(
      (x, g) => {
        g[0] = 1 - 1 / x[0]!;
        return x[0]! - Math.log(x[0]!);
      },
      [0.05],
      { gtol: 1e-10 },
    );
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 8);
  });

  it('lbfgs reports the iteration cap without throwing', () => {
    const r = lbfgs(problems[0]!.fg, [-1.2, 1], { maxIterations: 3, gtol: 1e-12, ftol: 0 });
    expect(r.converged).toBe(false);
    expect(r.status).toBe('maxiter');
    expect(r.message).toMatch(/3 iterations/);
  });
});
