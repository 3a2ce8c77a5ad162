/** `tongban migrate`: brings the database schema up to date. */
import { openDatabase, postgresOptions } from '../store/open-database.ts';
import { runMigrations } from '../store/migrate.ts';
import { EXIT, describeDatabase, type Command } from './context.ts';

export const migrate: Command = async (args, config) => {
  if (args.length > 0) {
    console.error(`migrate takes no arguments (got: ${args.join(' ')})`);
    return EXIT.usage;
  }
  const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, ...postgresOptions(config.postgres) });
  try {
    const { applied } = await runMigrations(db);
    console.log(`Database: ${describeDatabase(config)}`);
    if (applied.length === 0) console.log('Nothing to apply: the schema is up to date.');
    else console.log(`Applied ${applied.length} migration(s):\n${applied.map((n) => `  ${n}`).join('\n')}`);
    return EXIT.ok;
  } finally {
    await db.close();
  }
};
