/**
 * `npm run tongban -- <command>`: the operators' tool. Configured by the same environment
 * variables as the service; each command lives in its own file next to this one.
 */
import { loadConfig } from '../config/env.ts';
import { ConfigError } from '../errors.ts';
import type { Command } from './context.ts';
import { EXIT } from './exit.ts';

/**
 * Each command's module is loaded only when it runs: a command pays for its own imports (the
 * stores, the provider), not every other command's, and a wrong command or environment is told
 * so before anything heavy loads.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  migrate: async () => (await import('./migrate.ts')).migrate,
  clients: async () => (await import('./clients.ts')).clients,
  keys: async () => (await import('./keys.ts')).keys,
  audit: async () => (await import('./audit.ts')).audit,
  counter: async () => (await import('./counter.ts')).counter,
  admins: async () => (await import('./admins.ts')).admins,
};

async function usage(): Promise<string> {
  const [{ CLIENTS_USAGE }, { KEYS_USAGE }, { AUDIT_USAGE }, { COUNTER_USAGE }, { ADMINS_USAGE }] = await Promise.all([
    import('./clients.ts'),
    import('./keys.ts'),
    import('./audit.ts'),
    import('./counter.ts'),
    import('./admins.ts'),
  ]);
  return `usage: npm run tongban -- <command>

commands:
  migrate                     apply pending database migrations
${CLIENTS_USAGE}
${KEYS_USAGE}
${AUDIT_USAGE}
${COUNTER_USAGE}
${ADMINS_USAGE}
  help                        this text

Configured by the service's environment variables (DATABASE_URL or DATA_DIR, REDIS_URL,
KEYS_DIR, CLIENTS_DIR, NODE_ENV, ...).
Embedded mode (no DATABASE_URL): the PGlite data directory cannot be opened by two processes
at once, so stop the service before running any command that uses the database.
Exit status: 0 done, 1 configuration or runtime failure, 2 wrong command or input.`;
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    console.log(await usage());
    return EXIT.ok;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    console.error(`unknown command: ${name}\n\n${await usage()}`);
    return EXIT.usage;
  }
  try {
    const config = loadConfig();
    return await (await load())(args, config);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return EXIT.failed;
    }
    console.error(`tongban ${name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return EXIT.failed;
  }
}

// Exits explicitly: a library handle left open (a pool, a timer) must not keep the tool hanging.
// Writes to a terminal or pipe are synchronous on POSIX, so nothing printed is lost.
process.exit(await main(process.argv.slice(2)));
