/** `tongban counter …`: service centres and counter staff from JSON. */
import { readFile } from 'node:fs/promises';
import type { Config } from '../config/env.ts';
import { AppError } from '../errors.ts';
import { parseIdNumber } from '../crypto/id-number.ts';
import { EXIT, withAppContext } from './context.ts';
import { addCentres, addStaff } from '../counter/register-staff.ts';

export const COUNTER_USAGE = `  counter centres add <file.json>   add or update service centres ({ id, name, district } or a list)
  counter staff add <file.json>     add or update staff ({ id_number, name, centre, role, display_name } or a list)
  counter staff deactivate <id_number>  stop a staff member's console access at once`;

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new AppError('invalid_input', { params: { field: `${file}: ${(err as Error).message}` } });
  }
}

export async function counter(args: readonly string[], config: Config): Promise<number> {
  const [what, verb, arg] = args;
  if (!arg || !((what === 'centres' && verb === 'add') || (what === 'staff' && (verb === 'add' || verb === 'deactivate')))) {
    console.error(COUNTER_USAGE);
    return EXIT.usage;
  }
  try {
    return await withAppContext(config, async (ctx) => {
      if (what === 'centres') {
        console.log(`centres: ${(await addCentres(ctx, await readJson(arg))).join(', ')}`);
      } else if (verb === 'add') {
        console.log(`staff added or updated: ${(await addStaff(ctx, await readJson(arg))).length}`);
      } else {
        const id = parseIdNumber(arg);
        const personId = id.ok ? await ctx.identity.findPersonIdByIdNumber(id.value.idNumber) : null;
        const member = personId ? await ctx.staff.get(personId) : null;
        if (!member) {
          console.error('no such staff member');
          return EXIT.failed;
        }
        await ctx.audit.transaction(async (tx) => {
          await ctx.staff.setActive(member.personId, false, tx);
          await tx.audit({ type: 'staff.deactivated', staffId: member.personId, centreId: member.centreId });
        });
        console.log('deactivated');
      }
      return EXIT.ok;
    });
  } catch (err) {
    if (err instanceof AppError) {
      console.error(String(err.params.field ?? err.message));
      return EXIT.usage;
    }
    throw err;
  }
}
