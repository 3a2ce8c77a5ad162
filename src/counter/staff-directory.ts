/** Service centres and their staff (PostgreSQL). A staff member is a person with a role at one centre. */
import { z } from 'zod';
import type { Database, Queryable } from '../store/database.ts';

export type StaffRole = 'counter_staff' | 'counter_supervisor';

export interface StaffMember {
  readonly personId: string;
  readonly centreId: string;
  readonly centreName: string;
  readonly role: StaffRole;
  readonly displayName: string;
  readonly active: boolean;
}

export const centreDocument = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,39}$/, 'lowercase letters, digits and "-", 2 to 40'),
    name: z.string().min(1).max(100),
    district: z.string().min(1).max(50),
  })
  .strict();

export const staffDocument = z
  .object({
    id_number: z.string().min(1).max(18),
    name: z.string().min(1).max(50),
    centre: z.string().min(1).max(40),
    role: z.enum(['counter_staff', 'counter_supervisor']),
    display_name: z.string().min(1).max(40),
    active: z.boolean().default(true),
  })
  .strict();

export function createStaffDirectory(db: Database) {
  return {
    async addCentre(c: z.infer<typeof centreDocument>): Promise<void> {
      await db.query(
        `INSERT INTO service_centres (id, name, district) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, district = EXCLUDED.district`,
        [c.id, c.name, c.district],
      );
    },
    async centreExists(id: string): Promise<boolean> {
      return (await db.query('SELECT 1 FROM service_centres WHERE id = $1', [id])).rowCount > 0;
    },
    /** `tx`: the caller's transaction, which carries the audit event of the change */
    async setStaff(personId: string, s: { centre: string; role: StaffRole; displayName: string; active: boolean }, tx: Queryable = db): Promise<void> {
      await tx.query(
        `INSERT INTO staff (person_id, centre_id, role, display_name, active) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (person_id) DO UPDATE SET centre_id = EXCLUDED.centre_id, role = EXCLUDED.role,
           display_name = EXCLUDED.display_name, active = EXCLUDED.active, updated_at = now()`,
        [personId, s.centre, s.role, s.displayName, s.active],
      );
    },
    async setActive(personId: string, active: boolean, tx: Queryable = db): Promise<boolean> {
      const r = await tx.query('UPDATE staff SET active = $2, updated_at = now() WHERE person_id = $1', [personId, active]);
      return r.rowCount > 0;
    },
    async get(personId: string): Promise<StaffMember | null> {
      const { rows } = await db.query<{ person_id: string; centre_id: string; centre_name: string; role: StaffRole; display_name: string; active: boolean }>(
        `SELECT s.person_id, s.centre_id, c.name AS centre_name, s.role, s.display_name, s.active
           FROM staff s JOIN service_centres c ON c.id = s.centre_id WHERE s.person_id = $1`,
        [personId],
      );
      const r = rows[0];
      return r ? { personId: r.person_id, centreId: r.centre_id, centreName: r.centre_name, role: r.role, displayName: r.display_name, active: r.active } : null;
    },
    /** display names and centres for the citizen's activity log */
    async describe(personIds: readonly string[]): Promise<Map<string, { displayName: string; centreName: string }>> {
      if (!personIds.length) return new Map();
      const { rows } = await db.query<{ person_id: string; display_name: string; centre_name: string }>(
        `SELECT s.person_id, s.display_name, c.name AS centre_name FROM staff s JOIN service_centres c ON c.id = s.centre_id
          WHERE s.person_id = ANY($1::uuid[])`,
        [personIds],
      );
      return new Map(rows.map((r) => [r.person_id, { displayName: r.display_name, centreName: r.centre_name }]));
    },
  };
}

export type StaffDirectory = ReturnType<typeof createStaffDirectory>;
