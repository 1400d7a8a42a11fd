import { describe, expect, it } from 'vitest';
import { makeDesign } from '../src/core/law.ts';
import { thetaIndexOf } from '../src/fit/constraints.ts';
import { LAWS } from '../src/laws/index.ts';

const POINT = { N: 3e9, D: 6e10, C: 6 * 3e9 * 6e10, S: 1e4, U: 3e10 };

describe('defineLaw: what every law derives from its declaration', () => {
  for (const law of Object.values(LAWS)) {
    it(`${law.name}.predict equals exp(logPredict) at the point (closed form or derived)`, () => {
      const p = law.typical;
      const X = makeDesign([{ ...POINT, loss: 1, tags: {}, line: 0 }]);
      const out = new Float64Array(1);
      law.logPredict(law.toTheta(p), X, out);
      // A closed-form predict must agree with logPredict to rounding: 1e-12 relative is ~5000 ulps of slack for the
      // different order of operations (exp of a log-sum-exp against a sum of powers).
      expect(Math.abs(law.predict(p, POINT) / Math.exp(out[0]!) - 1)).toBeLessThan(1e-12);
    });

    it(`${law.name}.gradient equals L · dlogL/dtheta · dtheta/dparam from logPredict's Jacobian`, () => {
      const p = law.typical;
      const X = makeDesign([{ ...POINT, loss: 1, tags: {}, line: 0 }]);
      const k = law.parameters.length;
      const out = new Float64Array(1),
        jac = new Float64Array(k);
      law.logPredict(law.toTheta(p), X, out, jac);
      const L = Math.exp(out[0]!);
      const g = law.gradient(p, POINT);
      for (const spec of law.parameters) {
        const i = thetaIndexOf(law, spec.name);
        const expected = spec.scale === 'log' ? (L * jac[i]!) / p[spec.name]! : L * jac[i]!;
        // Same quantity by two routes (closed form or Jacobian): agreement to 1e-9 relative (or 1e-12 absolute).
        expect(Math.abs(g[spec.name]! - expected)).toBeLessThan(1e-9 * Math.abs(expected) + 1e-12);
      }
    });

    it(`${law.name} declares a typical value, a scale and a unique coordinate for every parameter`, () => {
      expect(Object.keys(law.typical).sort()).toEqual([...law.paramNames].sort());
      expect(new Set(law.thetaNames).size).toBe(law.thetaNames.length);
      for (const s of law.parameters)
        expect(Number.isFinite(s.typical) && (s.scale === 'linear' || s.typical > 0)).toBe(true);
      const back = law.toParams(law.toTheta(law.typical));
      // exp(log x) returns x to a few ulps: 1e-14 relative.
      for (const n of law.paramNames) expect(Math.abs(back[n]! / law.typical[n]! - 1)).toBeLessThan(1e-14);
    });
  }
});
