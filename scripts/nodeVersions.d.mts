// Types for scripts/nodeVersions.mjs, so TypeScript tests can import it under `strict`.
export declare const EXTRA_NODE_MAJORS: string[];
export declare function ensureNode(major: string): string;
