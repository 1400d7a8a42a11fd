// The worker entry when scalefit runs from its TypeScript sources (vitest, `node --import tsx`); an installed package
// uses the compiled worker.js instead. Worker threads inherit neither vitest's transform nor a tsx loader registered
// on the main thread, so: run the in-memory esbuild bundle of worker.ts that workerPool.ts passes as workerData
// (imported from a data: URL, never written to disk), else register tsx here and load the TypeScript worker.
import { workerData } from 'node:worker_threads';

let worker;
if (typeof workerData?.source === 'string') {
  ({ default: worker } = await import(
    `data:text/javascript;base64,${Buffer.from(workerData.source).toString('base64')}`
  ));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ default: worker } = await import('./worker.ts'));
}
export default worker;
