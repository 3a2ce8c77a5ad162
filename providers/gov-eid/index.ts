/**
 * `gov-eid`: the national eID (CTID, "网证"). The citizen confirms a one-time challenge in the
 * eID app (eID password or face); the platform returns a signed assertion carrying the ID
 * number encrypted for us. Level 3; amr `hwk` plus `pwd` or `face` by the mode used.
 */
import { defineMethod } from '../kit/index.ts';
import { configSchema } from './config.ts';
import * as messages from './messages.ts';
import { AUTHORITY, createPlatform } from './connector.ts';
import { loginFlow, METHOD_ID } from './flow.ts';

export const method = defineMethod({
  id: METHOD_ID,
  messages,
  authority: AUTHORITY,
  configSchema,
  create(cfg, env) {
    const platform = createPlatform(cfg, env);
    return {
      id: METHOD_ID,
      group: 'cards',
      factors: { hwk: 'have', pwd: 'know', face: 'are' },
      label: 'gov-eid.label',
      description: 'gov-eid.description',
      level: cfg.level,
      // every login has the eID (`hwk`); the second factor (`pwd` or `face`) depends on the mode used
      amr: ['hwk'],
      flows: { login: loginFlow(cfg, env, platform) },
    };
  },
});
