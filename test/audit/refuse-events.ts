/**
 * A real database refusal of chosen audit events, for tests of "no effect without its record":
 * a trigger in the test's own schema (or PGlite) that raises for the event types listed in a
 * table, so the refusal comes from PostgreSQL itself, exactly where a broken constraint or a
 * revoked permission would.
 */
import type { Database } from '../../src/store/database.ts';

export async function refuseAuditEvents(db: Database): Promise<{ refuse(type: string): Promise<void>; allowAll(): Promise<void> }> {
  await db.query('CREATE TABLE refused_audit_types (type text PRIMARY KEY)');
  await db.query(
    `CREATE FUNCTION refuse_listed_audit_types() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF EXISTS (SELECT 1 FROM refused_audit_types WHERE type = NEW.type) THEN
         RAISE EXCEPTION 'audit event % refused', NEW.type;
       END IF;
       RETURN NEW;
     END $$`,
  );
  for (const table of ['audit_outbox', 'audit_log']) {
    await db.query(`CREATE TRIGGER refuse_listed_audit_types BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION refuse_listed_audit_types()`);
  }
  return {
    async refuse(type) {
      await db.query('INSERT INTO refused_audit_types (type) VALUES ($1) ON CONFLICT DO NOTHING', [type]);
    },
    async allowAll() {
      await db.query('DELETE FROM refused_audit_types');
    },
  };
}
