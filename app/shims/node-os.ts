/** node:os in the browser app: the cores are navigator.hardwareConcurrency. */
export const availableParallelism = (): number => Math.max(1, globalThis.navigator?.hardwareConcurrency ?? 1);
export const cpus = (): unknown[] => Array.from({ length: availableParallelism() }, () => ({}));
export const tmpdir = (): string => '/tmp';
export const EOL = '\n';
export default { availableParallelism, cpus, tmpdir, EOL };
