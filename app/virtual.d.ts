declare module 'virtual:engine-source' {
  /** The engine worker's script (app/engine.ts, bundled), put in by scripts/build-app.ts. */
  const source: string;
  export default source;
}
