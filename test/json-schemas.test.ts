import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jsonSchemas } from '../scripts/json-schemas.ts';

/** docs/schemas/ is generated from the zod schemas the readers validate against; regenerate with the script. */
describe('docs/schemas', () => {
  const generated = jsonSchemas();

  it.each(Object.keys(generated))('docs/schemas/%s equals what scripts/json-schemas.ts generates', (name) => {
    // A failure here: run `node --import tsx scripts/json-schemas.ts` and commit docs/schemas/.
    expect(readFileSync(`docs/schemas/${name}`, 'utf8')).toBe(generated[name]);
  });

  it('docs/schemas holds no file the script does not generate', () => {
    expect(readdirSync('docs/schemas').sort()).toEqual(Object.keys(generated).sort());
  });

  it('the fit schema declares every section the fit JSON writes, snake_case, and allows newer keys', () => {
    const fit = JSON.parse(generated['fit.schema.json']!);
    for (const k of [
      'n_free',
      'at_bound',
      'input',
      'stderr',
      'covariance',
      'ci',
      'uncertainty',
      'identifiability',
      'bootstrap',
      'prediction',
      'predictions',
      'train',
      'held_out',
    ])
      expect(fit.properties).toHaveProperty(k);
    expect(fit.properties.input.required).toContain('rows_kept');
    expect(fit.properties.prediction.properties.rolling_origin.required).toContain('log_error');
    expect(fit.additionalProperties).toEqual({});
  });
});
