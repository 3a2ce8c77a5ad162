/**
 * `tongban admins …`: the first security admin, and a way back in when no admin can sign in.
 * Later admins are added from the console, through a second admin's approval; so `admins add`
 * refuses while an active admin_admin exists, unless --emergency (audited like any change).
 * On PostgreSQL it runs beside the service: each admin request reads the record afresh.
 */
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { Config } from '../config/env.ts';
import { AppError } from '../errors.ts';
import { INDEX_DOMAIN } from '../identity/types.ts';
import { createIdentityService } from '../identity/index.ts';
import { createAuditLog } from '../audit/index.ts';
import { createFieldCipher } from '../crypto/field-cipher.ts';
import { loadKeys } from '../keys/index.ts';
import type { Database } from '../store/database.ts';
import { t } from '../i18n/ui.ts';
import { createAdminDirectory, grantAdmin } from '../admin/admin-directory.ts';
import { ADMIN_ROLES } from '../admin/roles.ts';
import { EXIT, formatTable, withDatabase } from './context.ts';

export const ADMINS_USAGE = `  admins add --id-number N --roles r1,r2 --reason "…" [--name NAME] [--emergency]
                              make a person a security admin (the first one; later ones from the console)
                              roles: ${ADMIN_ROLES.join(', ')}
  admins deactivate --id-number N --reason "…" [--emergency]
                              stop an admin's access at once
  admins list                 every admin, their roles and state`;

const roleList = z
  .string()
  .transform((s) => s.split(',').map((r) => r.trim()).filter(Boolean))
  .pipe(z.array(z.enum(ADMIN_ROLES)).min(1, 'at least one role'));

const changeArgs = z.object({
  'id-number': z.string().min(1, 'required').max(18),
  reason: z.string().trim().min(3, 'say why, in a few words').max(500),
  name: z.string().trim().min(1).max(50).optional(),
  emergency: z.boolean().optional(),
});

function parse(args: readonly string[]) {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      'id-number': { type: 'string' },
      roles: { type: 'string' },
      reason: { type: 'string' },
      name: { type: 'string' },
      emergency: { type: 'boolean' },
    },
  });
  return { verb: positionals[0], extra: positionals.slice(1), values };
}

const actorId = () => `cli:${userInfo().username}`;

/** Only what an admin change needs: the database, the service's keys (the same blind indexes), identity and audit. */
async function withAdminParts<T>(config: Config, fn: (parts: ReturnType<typeof adminParts>) => Promise<T>): Promise<T> {
  const keys = await loadKeys({ production: config.production, dir: config.keysDir, env: config.rawEnv });
  return withDatabase(config, (db) => fn(adminParts(db, createFieldCipher({ dataKeys: keys.dataKeys, activeDataKeyId: keys.activeDataKeyId, indexKey: keys.indexKey }))));
}

function adminParts(db: Database, cipher: ReturnType<typeof createFieldCipher>) {
  return {
    identity: createIdentityService(db, cipher),
    audit: createAuditLog(db),
    admins: createAdminDirectory(db),
    subjectIndexOf: (n: string) => cipher.blindIndex(INDEX_DOMAIN.idNumber, n),
  };
}

export async function admins(args: readonly string[], config: Config): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${ADMINS_USAGE}`);
    return EXIT.usage;
  }
  const { verb, extra, values } = parsed;
  if (!['add', 'deactivate', 'list'].includes(verb ?? '') || extra.length) {
    console.error(ADMINS_USAGE);
    return EXIT.usage;
  }
  const change = verb === 'list' ? null : changeArgs.safeParse(values);
  const roles = verb === 'add' ? roleList.safeParse(values.roles ?? '') : null;
  const bad = [change, roles].flatMap((r) => (r && !r.success ? r.error.issues.map((i) => `--${i.path.join('.') || 'roles'}: ${i.message}`) : []));
  if (bad.length) {
    console.error(`${bad.join('\n')}\n\n${ADMINS_USAGE}`);
    return EXIT.usage;
  }
  return withAdminParts(config, async (ctx) => {
    const directory = ctx.admins;
    if (verb === 'list') {
      const all = await directory.list();
      const rows = await Promise.all(
        all.map(async (a) => [(await ctx.identity.getPerson(a.personId))?.name ?? '?', a.personId, a.roles.join(','), a.active ? 'active' : 'inactive', a.createdBy]),
      );
      console.log(all.length ? formatTable(['name', 'person', 'roles', 'state', 'created by'], rows) : 'no admins');
      return EXIT.ok;
    }
    const c = change!.success ? change!.data : null;
    if (!c) return EXIT.usage;
    // the console, with its four eyes, is the way once an admin can manage admins
    if (!c.emergency && (await directory.countActiveWith('admin_admin')) > 0) {
      console.error(t('en', 'admin_cli_bootstrap_only'));
      return EXIT.usage;
    }
    const reason = c.emergency ? `[emergency] ${c.reason}` : c.reason;
    try {
      if (verb === 'deactivate') {
        const personId = await ctx.identity.findPersonIdByIdNumber(c['id-number']);
        const record = personId ? await directory.get(personId) : null;
        if (!record) {
          console.error('no such admin');
          return EXIT.failed;
        }
        await grantAdmin(ctx, { idNumber: c['id-number'], roles: record.roles, active: false, reason, actor: { actorId: actorId(), roles: [] } });
        console.log(`admin ${record.personId} deactivated`);
        return EXIT.ok;
      }
      const r = await grantAdmin(ctx, {
        idNumber: c['id-number'],
        ...(c.name ? { name: c.name } : {}),
        roles: roles!.success ? roles!.data : [],
        active: true,
        reason,
        actor: { actorId: actorId(), roles: [] },
      });
      console.log(`admin ${r.personId}: ${r.after.roles.join(', ')}${r.before ? ` (was: ${r.before.active ? r.before.roles.join(', ') : 'inactive'})` : ' (new)'}`);
      return EXIT.ok;
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      console.error(t('en', err.code, err.params));
      return EXIT.usage;
    }
  });
}
