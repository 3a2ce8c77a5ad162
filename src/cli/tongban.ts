/**
 * `npm run tongban -- <command>`: the operators' tool. Configured by the same environment
 * variables as the service; each command lives in its own file next to this one.
 */
import { loadConfig } from '../config/env.ts';
import { ConfigError } from '../errors.ts';
import { EXIT, type Command } from './context.ts';
import { migrate } from './migrate.ts';
import { clients, CLIENTS_USAGE } from './clients.ts';
import { keys, KEYS_USAGE } from './keys.ts';
import { audit, AUDIT_USAGE } from './audit.ts';
import { counter, COUNTER_USAGE } from './counter.ts';
import { admins, ADMINS_USAGE } from './admins.ts';

const USAGE = `usage: npm run tongban -- <command>

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

const COMMANDS: Record<string, Command> = { migrate, clients, keys, audit, counter, admins };

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    console.log(USAGE);
    return EXIT.ok;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    console.error(`unknown command: ${name}\n\n${USAGE}`);
    return EXIT.usage;
  }
  try {
    return await command(args, loadConfig());
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
