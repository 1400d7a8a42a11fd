// Worker threads do not inherit a tsx loader registered through its API on the main thread (bin/scalefit.js),
// and vitest's transform does not reach them either: register tsx here, then load the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
const { default: worker } = await import('./worker.ts');
export default worker;
