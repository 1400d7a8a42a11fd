/** Types of scripts/build.mjs (plain JavaScript so that `prepare` needs nothing but Node and TypeScript). */
export declare function inputsHash(): string;
export declare function build(options?: { ifStale?: boolean }): boolean;
