/** `sms-otp`: not built yet (disabled). */
import { z } from 'zod';
import { defineMethod } from '../kit/index.ts';

export const method = defineMethod({
  id: 'sms-otp',
  configSchema: z.object({ enabled: z.boolean().default(false) }),
  create() {
    throw new Error('sms-otp is not available yet');
  },
});
