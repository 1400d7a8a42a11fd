/** src/core/version.ts in the browser app: package.json's version, put in by the build (scripts/build-app.mjs). */
declare const __SCALEFIT_VERSION__: string;
export const VERSION: string = __SCALEFIT_VERSION__;
