import { z } from 'zod';
import { methodBase } from '../kit/schemas.ts';

/** What the WeChat Open Platform console issues to a website app. */
const credentials = z
  .object({
    appid: z.string().regex(/^wx[0-9a-f]{16}$/),
    secret: z.string().regex(/^[0-9a-f]{32}$/),
  })
  .strict();

const common = {
  ...methodBase(1),
  /** defaults: the sandbox under AUTHORITIES_URL; in production https://open.weixin.qq.com/connect/qrconnect and https://api.weixin.qq.com */
  connectUrl: z.url({ protocol: /^https?$/ }).optional(),
  apiUrl: z.url({ protocol: /^https?$/ }).optional(),
  stateTtlSeconds: z.number().int().min(60).max(1800).default(600),
};

/**
 * Either the app's credentials from the WeChat console, or (development and tests only)
 * `sandboxConsole: true`: fetch them once from the sandbox's console route.
 */
export const configSchema = z.union([
  z.object({ ...common, credentials, sandboxConsole: z.literal(false).default(false) }).strict(),
  z.object({ ...common, sandboxConsole: z.literal(true).default(true) }).strict(),
]);

export type WechatConfig = z.infer<typeof configSchema>;
