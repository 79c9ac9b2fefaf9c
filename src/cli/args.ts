// A small, strict argv parser shared by every `kwh` subcommand: `--name value`, `--name=value`, boolean flags,
// repeatable options. Unknown options are an error that names the option and lists the valid ones.

export interface OptionSpec {
  /** Takes a value (`--port 8080`); otherwise it is a boolean flag. */
  value?: boolean;
  /** May be given several times; the parsed value is then a string[]. */
  repeat?: boolean;
  description?: string;
}

export type OptionSpecs = Record<string, OptionSpec>;

/**
 * One line per option, for a command's --help: `  --name VALUE  description`, or with the names padded to `column`
 * characters so the descriptions line up.
 */
export function optionHelp(specs: OptionSpecs, column?: number): string[] {
  return Object.entries(specs).map(([name, spec]) => {
    const left = `--${name}${spec.value ? ' VALUE' : ''}`;
    if (column !== undefined) return `  ${left.padEnd(column)} ${spec.description ?? ''}`;
    return `  ${left}${spec.description ? `  ${spec.description}` : ''}`;
  });
}

export interface ParsedArgs {
  positionals: string[];
  options: Record<string, string | string[] | boolean | undefined>;
}

export class UsageError extends Error {}

export function parseArgs(argv: string[], specs: OptionSpecs): ParsedArgs {
  const positionals: string[] = [];
  const options: ParsedArgs['options'] = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const spec = specs[name];
    if (!spec) {
      throw new UsageError(`unknown option --${name}; valid options: ${Object.keys(specs).map((k) => `--${k}`).join(' ')}`);
    }
    let value: string | boolean = true;
    if (spec.value) {
      if (eq !== -1) value = arg.slice(eq + 1);
      else {
        const next = argv[i + 1];
        if (next === undefined || next.startsWith('--')) throw new UsageError(`--${name} needs a value`);
        value = next;
        i++;
      }
    } else if (eq !== -1) {
      throw new UsageError(`--${name} is a flag and takes no value`);
    }
    if (spec.repeat) {
      const list = (options[name] as string[] | undefined) ?? [];
      list.push(String(value));
      options[name] = list;
    } else {
      options[name] = value;
    }
  }
  return { positionals, options };
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.options[name];
  return typeof v === 'string' ? v : undefined;
}

export function listOption(args: ParsedArgs, name: string): string[] {
  const v = args.options[name];
  return Array.isArray(v) ? v : [];
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.options[name] === true;
}

export function intOption(args: ParsedArgs, name: string, fallback: number): number {
  const v = stringOption(args, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a non-negative integer, got "${v}"`);
  return n;
}

/** Reads a secret from the environment variable named on the command line; secrets never travel in argv. */
export function secretFromEnv(envName: string, optionName: string): string {
  const value = process.env[envName];
  if (value === undefined || value === '') {
    throw new UsageError(`--${optionName} names the environment variable ${envName}, but it is not set; export it first`);
  }
  return value;
}
