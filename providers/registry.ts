/**
 * Every login method the service knows. Adding a method = a folder in providers/ and one line
 * here. config/methods.json (validated by each method's own schema) enables them.
 */
import { z } from 'zod';
import { ConfigError } from '../src/errors.ts';
import type { LoginMethod, MethodDefinition } from './kit/index.ts';
import { idCardPassword } from './id-card-password/index.ts';

export const DEFINITIONS: readonly MethodDefinition<{ enabled: boolean }>[] = [idCardPassword];

const methodsFile = z.record(z.string(), z.unknown());

/** The enabled methods, in registry order; a method missing from the settings uses its defaults. */
export function createMethods(settings: unknown): Map<string, LoginMethod> {
  const parsed = methodsFile.safeParse(settings ?? {});
  if (!parsed.success) throw new ConfigError('config/methods.json: must be an object keyed by method id');
  const known = new Set(DEFINITIONS.map((d) => d.id));
  for (const id of Object.keys(parsed.data)) {
    if (!known.has(id)) throw new ConfigError(`config/methods.json: unknown method "${id}" (known: ${[...known].join(', ')})`);
  }
  const methods = new Map<string, LoginMethod>();
  for (const def of DEFINITIONS) {
    const r = def.configSchema.safeParse(parsed.data[def.id] ?? {});
    if (!r.success) {
      const detail = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new ConfigError(`config/methods.json: "${def.id}": ${detail}`);
    }
    if (r.data.enabled) methods.set(def.id, def.create(r.data));
  }
  return methods;
}
