// Types for scripts/l10nBundle.mjs, so TypeScript tests can import it under `strict`.
export declare const BUNDLE: string;
export declare function extractMessages(root?: string): { messages: string[]; problems: string[] };
export declare function bundleText(messages: string[]): string;
