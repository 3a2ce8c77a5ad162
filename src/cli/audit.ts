/** `tongban audit verify`: recomputes the hash chain of the audit log. */
import { verifyChain } from '../audit/index.ts';
import { EXIT, withDatabase, type Command } from './context.ts';

export const AUDIT_USAGE = `  audit verify                check the audit log's hash chain; exit 1 where it breaks`;

export const audit: Command = async (args, config) => {
  if (args.length !== 1 || args[0] !== 'verify') {
    console.error(`usage:\n${AUDIT_USAGE}`);
    return EXIT.usage;
  }
  const result = await withDatabase(config, verifyChain);
  if (result.ok) {
    console.log(`Audit chain OK: ${result.checked} row(s) checked.`);
    return EXIT.ok;
  }
  console.error(
    `Audit chain BROKEN at seq ${result.brokenAt}: that row, or the one before it, was changed or deleted ` +
      `(${result.checked} row(s) checked).`,
  );
  return EXIT.failed;
};
