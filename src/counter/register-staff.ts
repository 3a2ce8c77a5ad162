/** Adding service centres and staff from JSON documents (the CLI and the demo both use this). */
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { AppError } from '../errors.ts';
import { parseIdNumber } from '../crypto/id-number.ts';
import { centreDocument, staffDocument } from './staff-directory.ts';
import { describeIssues } from '../validation/issues.ts';

const describe = (e: z.ZodError) => describeIssues(e);

export async function addCentres(ctx: Pick<AppContext, 'staff'>, input: unknown): Promise<string[]> {
  const parsed = z.array(centreDocument).safeParse(Array.isArray(input) ? input : [input]);
  if (!parsed.success) throw new AppError('invalid_input', { params: { field: describe(parsed.error) } });
  for (const c of parsed.data) await ctx.staff.addCentre(c);
  return parsed.data.map((c) => c.id);
}

/** Staff are persons: enrolled (or found) by ID number, proofed in person by their employer. */
export async function addStaff(ctx: Pick<AppContext, 'staff' | 'identity' | 'audit'>, input: unknown): Promise<string[]> {
  const parsed = z.array(staffDocument).safeParse(Array.isArray(input) ? input : [input]);
  if (!parsed.success) throw new AppError('invalid_input', { params: { field: describe(parsed.error) } });
  const ids: string[] = [];
  for (const [i, s] of parsed.data.entries()) {
    const id = parseIdNumber(s.id_number);
    if (!id.ok) throw new AppError('invalid_input', { params: { field: `${i}.id_number: ${id.code}` } });
    if (!(await ctx.staff.centreExists(s.centre))) throw new AppError('invalid_input', { params: { field: `${i}.centre: no such centre "${s.centre}"` } });
    // the person, the staff record and its audit event commit together
    const personId = await ctx.audit.transaction(async (tx) => {
      const { personId } = await ctx.identity.enrol(id.value.idNumber, { name: s.name, proofing: 'in_person', credentials: [] }, tx);
      await ctx.staff.setStaff(personId, { centre: s.centre, role: s.role, displayName: s.display_name, active: s.active }, tx);
      if (s.active) await tx.audit({ type: 'staff.added', staffId: personId, centreId: s.centre, role: s.role });
      else await tx.audit({ type: 'staff.deactivated', staffId: personId, centreId: s.centre });
      return personId;
    });
    ids.push(personId);
  }
  return ids;
}
