/** `gov-eid`: not built yet (disabled). */
import { z } from 'zod';
import { defineMethod } from '../kit/index.ts';

export const method = defineMethod({
  id: 'gov-eid',
  configSchema: z.object({ enabled: z.boolean().default(false) }),
  create() {
    throw new Error('gov-eid is not available yet');
  },
});
