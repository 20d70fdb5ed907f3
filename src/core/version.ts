declare const __RUNPOD_TS_VERSION__: string;

/** The package version, injected from package.json at build time (and by vitest in tests). */
export const VERSION: string = __RUNPOD_TS_VERSION__;
