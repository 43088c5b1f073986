/** Set by vite.config.ts: which build this is (shown in the About panel). */
declare const __BUILD_ID__: string;
