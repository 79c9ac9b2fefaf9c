// What every language template needs to know about the stub it renders.
import type { StubBodyFormat } from '../bodyFormats';
import { commentText } from '../literals';
import type { TypeModel } from '../inferTypes';
import type { CodegenFramework, CodegenSource } from '../types';

export interface StubContext {
  source: CodegenSource;
  framework: CodegenFramework;
  eventType: string;
  /** The route the stub answers on (the captured path). */
  path: string;
  /** Body format of the captured request; the stub decodes every format but is typed for this one. */
  format: StubBodyFormat;
  model: TypeModel;
  keepExampleValues: boolean;
  /** "a captured request" or "a built-in sample". */
  origin: string;
  /** Pretty-printed fixture JSON. */
  fixtureJson: string;
}

export const sourceTitles: Record<CodegenSource, string> = {
  kaltura: 'Kaltura HTTP notification',
  'kaltura-legacy': 'Kaltura legacy partner notification',
  enablex: 'EnableX video webhook',
};

/** Name of the function the user fills in, per source (camelCase; languages convert). */
export const userFunctionWords: Record<CodegenSource, string[]> = {
  kaltura: ['on', 'kaltura', 'notification'],
  'kaltura-legacy': ['on', 'legacy', 'notification'],
  enablex: ['on', 'enablex', 'event'],
};

export function camelName(words: string[]): string {
  return words.map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join('');
}

export function snakeName(words: string[]): string {
  return words.join('_');
}

/** A one-line description for comments and docstrings: the captured event type only as commentText() makes it. */
export function describe(ctx: StubContext): string {
  return `${sourceTitles[ctx.source]} "${commentText(ctx.eventType)}" (${ctx.format} body), generated from ${ctx.origin}`;
}
