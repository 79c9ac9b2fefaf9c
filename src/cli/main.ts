// `kwh`: the headless entry to the workbench core. Each subcommand lives in src/cli/commands/<name>.ts
// and is loaded only when used.
import { writeErr, writeOut } from './terminalOutput';
import { UsageError } from './args';

export interface CliCommand {
  summary: string;
  run(argv: string[]): Promise<number | void>;
}

const commands: Record<string, () => Promise<CliCommand>> = {
  // Each subcommand module default-exports a CliCommand.
  codegen: () => import('./commands/codegen').then((m) => m.default),
  templates: () => import('./commands/templates').then((m) => m.default),
  register: () => import('./commands/register').then((m) => m.default),
  listen: () => import('./commands/listen').then((m) => m.default),
  sandbox: () => import('./commands/sandbox').then((m) => m.default),
  trigger: () => import('./commands/trigger').then((m) => m.default),
  replay: () => import('./commands/replay').then((m) => m.default),
};

function usage(): string {
  const lines = Object.keys(commands).sort().map((name) => `  kwh ${name}`);
  return ['usage: kwh <command> [options]', '', 'commands:', ...lines, '', 'kwh <command> --help shows its options.'].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    writeOut(usage() + '\n');
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    writeErr(`kwh: unknown command "${name}"\n${usage()}\n`);
    return 2;
  }
  try {
    const command = await load();
    return (await command.run(rest)) ?? 0;
  } catch (err) {
    if (err instanceof UsageError) {
      writeErr(`kwh ${name}: ${err.message}\n`);
      return 2;
    }
    writeErr(`kwh ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    writeErr(`kwh: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  },
);
