/**
 * Write docs/schemas/*.schema.json: JSON Schema (draft 2020-12) of scalefit's JSON outputs, generated from the zod
 * schemas the readers validate against (zod 4's z.toJSONSchema), so the documentation cannot drift from the reader.
 * `node --import tsx scripts/json-schemas.ts`; test/json-schemas.test.ts checks the committed files are current.
 */
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { atomicWrite } from '../src/io/atomicWrite.ts';
import { makeFitJsonSchema } from '../src/io/fitJsonSchema.ts';

/** Each schema file's name and content. */
export function jsonSchemas(): Record<string, string> {
  const { $schema, ...schema } = z.toJSONSchema(makeFitJsonSchema(), { io: 'input', unrepresentable: 'any' });
  const fit = {
    $schema,
    title: 'scalefit fit JSON',
    description: 'A fitted scaling law with its input, uncertainty and predictions: `scalefit fit --json/--out`, a report\'s fit.json, fits/*.json (docs/json-outputs.md). Keys not listed are allowed (a newer scalefit may add sections).',
    ...schema,
  };
  return { 'fit.schema.json': `${JSON.stringify(fit, null, 2)}\n` };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [name, text] of Object.entries(jsonSchemas())) {
    atomicWrite(`docs/schemas/${name}`, text);
    console.log(`docs/schemas/${name}`);
  }
}
