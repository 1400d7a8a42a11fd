/**
 * The two Node globals the library touches on the browser path: Buffer (the loader copies long tag strings through
 * it so a kept tag does not pin a 1 MB chunk) and process (absent: nothing on this path reads it). Imported first by
 * the engine, before any library module.
 */
const g = globalThis as unknown as { Buffer?: unknown };
g.Buffer ??= {
  from: (s: string) => ({ toString: () => ` ${s}`.slice(1) }),
  byteLength: (s: string) => new TextEncoder().encode(s).length,
};
export {};
