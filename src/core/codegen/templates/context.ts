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

/** What the tamper test appends to the captured body: a byte breaks a signature, a field a legacy sig. */
export function tamperSuffix(ctx: StubContext): string {
  return ctx.source === 'kaltura-legacy' ? '&notification_type=tampered' : ' ';
}

/** The required top-level keys of an object payload, for the shape check; undefined for a single value. */
export function requiredTopLevelKeys(ctx: StubContext): string[] | undefined {
  const root = ctx.model.root;
  if (root.kind !== 'ref') return undefined;
  const type = ctx.model.types.find((t) => t.name === root.name);
  return (type?.fields ?? []).filter((f) => !f.optional).map((f) => f.name);
}

/**
 * The holes and include slots the Python and PHP stubs share, each string made by the language's literal encoder.
 * `shapeHoles` fills the shape check of the slot chosen by requiredTopLevelKeys().
 */
export function snakeStubFill(ctx: StubContext, ext: 'py' | 'php', literal: (value: string) => string, shapeHoles: Record<string, string>) {
  return {
    holes: {
      HoleRoot: ctx.model.rootName,
      hole_user_function: snakeName(userFunctionWords[ctx.source]),
      HOLE_PATH: literal(ctx.path),
      HOLE_FORMAT: literal(ctx.format),
      ...shapeHoles,
    },
    slots: {
      shape: requiredTopLevelKeys(ctx) ? `shape_object.${ext}` : `shape_value.${ext}`,
      tamper: ctx.source === 'enablex' ? `test_tamper_basic_auth.${ext}` : `test_tamper_signature.${ext}`,
    },
  };
}
