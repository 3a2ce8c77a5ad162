/** Reads our own client metadata (tongban_*) with safe defaults. */
import type { Level } from '../../providers/kit/index.ts';

type ClientLike = { readonly [key: string]: unknown } | object;

function prop(client: ClientLike, snake: string, camel: string): unknown {
  const c = client as Record<string, unknown>;
  return c[snake] ?? c[camel];
}

export function clientMinimumLevel(client: ClientLike): Level {
  const v = prop(client, 'tongban_min_level', 'tongbanMinLevel');
  return v === 2 || v === 3 ? v : 1;
}

export function isFirstParty(client: ClientLike): boolean {
  return prop(client, 'tongban_first_party', 'tongbanFirstParty') === true;
}

/** undefined: every enabled method */
export function allowedMethods(client: ClientLike): readonly string[] | undefined {
  const v = prop(client, 'tongban_allowed_methods', 'tongbanAllowedMethods');
  return Array.isArray(v) ? (v as string[]) : undefined;
}

/** hall kiosks: device flow, never a lasting session */
export function isKiosk(client: ClientLike): boolean {
  return prop(client, 'tongban_kiosk', 'tongbanKiosk') === true;
}
