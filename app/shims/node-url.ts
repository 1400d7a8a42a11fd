/** node:url in the browser app: file URLs as paths (only names: nothing is read through them). */
export const fileURLToPath = (u: string | URL): string => decodeURIComponent(new URL(String(u)).pathname);
export const pathToFileURL = (p: string): URL => new URL(`file://${encodeURI(p)}`);
export default { fileURLToPath, pathToFileURL };
