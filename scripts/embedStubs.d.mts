import type { Plugin } from 'esbuild';
export declare const embedStubs: Plugin;
