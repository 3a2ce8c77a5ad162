/**
 * Who runs this service and how a person gets help, and which ways to sign in the chooser puts
 * first (the most used; the rest wait under "more ways"). From config/service.json, each value
 * overridable by the environment; checked at start-up like the rest of the configuration.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { REPO_ROOT } from './env.ts';

const text = (max: number) => z.string().trim().min(2).max(max);

const schema = z.object({
  /** the authority that runs the service, as the pages name it */
  operator: z.object({ 'zh-CN': text(60), en: text(120) }),
  /** a help line a person can dial: digits, spaces, + and - (e.g. 12345, 021-12345678) */
  helpPhone: z.string().trim().regex(/^\+?[0-9][0-9 -]{2,18}[0-9]$/, 'a telephone number: digits, spaces, + and -'),
  /** method ids the chooser shows first, most used first (3 of them in elder mode) */
  firstMethods: z.array(z.string().regex(/^[a-z0-9-]{1,40}$/)).min(1).max(6),
});

export type ServiceInfo = z.infer<typeof schema>;

const FILE = path.join(REPO_ROOT, 'config', 'service.json');

/** config/service.json with SERVICE_OPERATOR_ZH, SERVICE_OPERATOR_EN, HELP_PHONE and CHOOSER_FIRST (comma-separated ids) over it. */
export function parseServiceInfo(file: unknown, env: Record<string, string | undefined>): ServiceInfo {
  const base = (typeof file === 'object' && file !== null ? file : {}) as Record<string, unknown>;
  const operator = (typeof base.operator === 'object' && base.operator !== null ? base.operator : {}) as Record<string, unknown>;
  const merged = {
    operator: { 'zh-CN': env.SERVICE_OPERATOR_ZH || operator['zh-CN'], en: env.SERVICE_OPERATOR_EN || operator.en },
    helpPhone: env.HELP_PHONE || base.helpPhone,
    firstMethods: env.CHOOSER_FIRST ? env.CHOOSER_FIRST.split(',').map((s) => s.trim()) : base.firstMethods,
  };
  const parsed = schema.safeParse(merged);
  if (!parsed.success) {
    throw new ConfigError(`invalid service information (${FILE} or environment):\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  return parsed.data;
}

export function loadServiceInfo(env: Record<string, string | undefined>): ServiceInfo {
  let file: unknown;
  try {
    file = JSON.parse(readFileSync(FILE, 'utf8'));
  } catch (err) {
    throw new ConfigError(`${FILE}: ${(err as Error).message}`);
  }
  return parseServiceInfo(file, env);
}

let current: ServiceInfo | undefined;

/** Read and checked once at start-up (createAppContext); the pages ask for it afterwards. */
export function useServiceInfo(info: ServiceInfo): void {
  current = info;
}

export function serviceInfo(): ServiceInfo {
  current ??= loadServiceInfo(process.env);
  return current;
}
