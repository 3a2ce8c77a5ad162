/**
 * Where the outside authorities are and what they know us by: one JSON file, AUTHORITIES_FILE
 * (mounted as a secret; the repository holds no credentials). It names the two shared
 * authorities and, under `methods`, each login method's authority settings (base URLs,
 * credentials, keys), laid over config/methods.json method by method and checked by each
 * method's own schema. In development nothing is needed: every authority defaults to the
 * sandbox under AUTHORITIES_URL.
 *
 * In production the service refuses to start while any authority would be the sandbox: the
 * file missing, a shared authority not fully given, the sandbox's well-known app key, or a URL
 * on this machine. Every such value is named in one message, with what the methods themselves
 * refuse (a sandbox console instead of credentials).
 */
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { describeIssues } from '../validation/issues.ts';
import type { PopulationRegistryOptions } from './population-registry.ts';
import type { SmsGatewayOptions } from './sms-gateway.ts';

/** what the sandbox population registry knows the development service by (refused in production) */
export const SANDBOX_REGISTRY = { appId: 'tongban-id', appKey: 'sandbox-registry-key' } as const;
export const SANDBOX_SMS_ACCOUNT = 'tongban-id';

const httpUrl = z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, ''));

const fileSchema = z
  .object({
    'population-registry': z
      .object({ baseUrl: httpUrl, appId: z.string().min(1).max(64), appKey: z.string().min(8).max(512) })
      .partial()
      .strict()
      .optional(),
    'sms-gateway': z.object({ baseUrl: httpUrl, account: z.string().min(1).max(64) }).partial().strict().optional(),
    /** per login method: its authority's settings (the method's own schema checks them) */
    methods: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  })
  .strict();

export type AuthoritiesFile = z.infer<typeof fileSchema>;

export interface AuthoritySettings {
  registry: Partial<PopulationRegistryOptions>;
  sms: Partial<SmsGatewayOptions>;
  /** config/methods.json with the file's `methods` laid over it */
  methodSettings: unknown;
  /**
   * Builds the login methods; in production, what they refuse is reported together with what
   * this file check found, so one failed start names every value still missing.
   */
  check<T>(build: () => T): T;
}

export async function readAuthoritiesFile(file: string | undefined): Promise<AuthoritiesFile> {
  if (!file) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`AUTHORITIES_FILE: ${file}: ${(err as Error).message}`);
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`AUTHORITIES_FILE: ${file}: ${describeIssues(parsed.error, '(file)')}`);
  return parsed.data;
}

/** `over` laid on `base` method by method (a method's other settings in base stay) */
function layMethods(base: unknown, over: AuthoritiesFile['methods']): unknown {
  if (!over) return base;
  const out: Record<string, unknown> = base && typeof base === 'object' && !Array.isArray(base) ? { ...(base as Record<string, unknown>) } : {};
  for (const [id, v] of Object.entries(over)) {
    const prev = out[id];
    out[id] = prev && typeof prev === 'object' ? { ...(prev as Record<string, unknown>), ...v } : v;
  }
  return out;
}

const LOOPBACK_NAMES = /^(localhost|.*\.localhost|0\.0\.0\.0|\[?::1?\]?|\[::\])$/i;

/** a URL that can only reach this machine: the sandbox's, never an authority's */
export function isLocalUrl(raw: string): boolean {
  let host: string;
  try {
    host = new URL(raw).hostname;
  } catch {
    return false;
  }
  if (LOOPBACK_NAMES.test(host)) return true;
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || bare.startsWith('::ffff:127.');
  return false;
}

/** every `…Url`/`…url` string in a method's settings, by its path */
function urlsIn(value: unknown, path: string, found: Array<[string, string]>): void {
  if (Array.isArray(value)) value.forEach((v, i) => urlsIn(v, `${path}[${i}]`, found));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) urlsIn(v, `${path}.${k}`, found);
  else if (typeof value === 'string' && /url$/i.test(path)) found.push([path, value]);
}

function enabledMethods(settings: unknown): Array<[string, unknown]> {
  if (!settings || typeof settings !== 'object') return [];
  return Object.entries(settings as Record<string, unknown>).filter(([, s]) => !!s && typeof s === 'object' && (s as { enabled?: unknown }).enabled === true);
}

/** What would make a production service talk to the sandbox: one line per value. */
export function productionProblems(o: { authoritiesUrl?: string; authoritiesFile?: string; file: AuthoritiesFile; methodSettings: unknown }): string[] {
  const problems: string[] = [];
  const { file } = o;
  if (!o.authoritiesFile) problems.push('AUTHORITIES_FILE: required in production (the authorities’ URLs and credentials)');
  if (o.authoritiesUrl && isLocalUrl(o.authoritiesUrl)) problems.push(`AUTHORITIES_URL: ${o.authoritiesUrl} is on this machine (the sandbox), not an authority`);
  const registry = file['population-registry'] ?? {};
  for (const field of ['baseUrl', 'appId', 'appKey'] as const) {
    if (!registry[field]) problems.push(`population-registry.${field}: missing`);
  }
  if (registry.appKey === SANDBOX_REGISTRY.appKey) problems.push('population-registry.appKey: the sandbox’s well-known app key');
  const sms = file['sms-gateway'] ?? {};
  for (const field of ['baseUrl', 'account'] as const) if (!sms[field]) problems.push(`sms-gateway.${field}: missing`);
  const urls: Array<[string, string]> = [];
  if (registry.baseUrl) urls.push(['population-registry.baseUrl', registry.baseUrl]);
  if (sms.baseUrl) urls.push(['sms-gateway.baseUrl', sms.baseUrl]);
  for (const [id, settings] of enabledMethods(o.methodSettings)) urlsIn(settings, `methods.${id}`, urls);
  for (const [where, url] of urls) if (isLocalUrl(url)) problems.push(`${where}: ${url} is on this machine (the sandbox), not an authority`);
  return problems;
}

export async function configureAuthorities(
  config: { production: boolean; authoritiesUrl?: string; authoritiesFile?: string },
  methodsJson: unknown,
): Promise<AuthoritySettings> {
  const file = await readAuthoritiesFile(config.authoritiesFile);
  const methodSettings = layMethods(methodsJson, file.methods);
  const problems = config.production ? productionProblems({ ...config, file, methodSettings }) : [];
  function check<T>(build: () => T): T {
    let built: T | undefined;
    try {
      built = build();
    } catch (err) {
      if (!(err instanceof ConfigError) || problems.length === 0) throw err;
      problems.push(...err.message.split('\n'));
    }
    if (problems.length > 0) {
      throw new ConfigError(`the outside authorities are not configured for production:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    }
    return built as T;
  }
  return { registry: file['population-registry'] ?? {}, sms: file['sms-gateway'] ?? {}, methodSettings, check };
}
