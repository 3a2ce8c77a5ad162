/**
 * `tongban audit verify [--anchor SEQ:HASH]`: recomputes the hash chain of the audit log and
 * prints its head. A head recorded elsewhere earlier, given as the anchor, must still be in the
 * chain unchanged: that shows rows cut from the end, which the chain alone cannot.
 */
import { countUnchained, verifyChain, type ChainHead } from '../audit/index.ts';
import { EXIT, withDatabase, type Command } from './context.ts';

export const AUDIT_USAGE = `  audit verify [--anchor SEQ:HASH]
                              check the audit log's hash chain (and that an earlier head is still
                              in it); print the head to record elsewhere; exit 1 where it breaks`;

const ANCHOR = /^([1-9]\d{0,18}):([0-9a-f]{64})$/;

function parseArgs(args: readonly string[]): { anchor?: ChainHead } | null {
  if (args[0] !== 'verify') return null;
  if (args.length === 1) return {};
  if (args.length !== 3 || args[1] !== '--anchor') return null;
  const m = ANCHOR.exec(args[2]!);
  return m ? { anchor: { seq: m[1]!, hash: m[2]! } } : null;
}

export const audit: Command = async (args, config) => {
  const parsed = parseArgs(args);
  if (!parsed) {
    console.error(`usage:\n${AUDIT_USAGE}\n(SEQ:HASH as printed by an earlier audit verify: a row number, a colon, 64 hex digits)`);
    return EXIT.usage;
  }
  const { anchor } = parsed;
  const { result, unchained } = await withDatabase(config, async (db) => ({
    result: await verifyChain(db, anchor),
    unchained: await countUnchained(db),
  }));
  // committed with their actions but not linked yet: a running instance links them within seconds
  if (unchained) console.log(`${unchained} event(s) committed but not yet chained (audit_outbox); a running instance chains them within 30 s.`);
  if (result.brokenAt) {
    console.error(
      `Audit chain BROKEN at seq ${result.brokenAt}: that row, or the one before it, was changed or deleted ` +
        `(${result.checked} row(s) checked).`,
    );
    return EXIT.failed;
  }
  if (anchor && result.anchor !== 'found') {
    const what = result.anchor === 'changed' ? 'is there but was rewritten' : 'is gone: rows were cut from the end';
    console.error(`Audit chain ANCHOR FAILED: row ${anchor.seq} ${what} (${result.checked} row(s) checked, each chaining).`);
    return EXIT.failed;
  }
  console.log(`Audit chain OK: ${result.checked} row(s) checked${anchor ? `, anchor ${anchor.seq} found` : ''}.`);
  if (result.head) console.log(`Head: ${result.head.seq}:${result.head.hash}  (record it elsewhere; check later with --anchor)`);
  return EXIT.ok;
};
