/** /registry: the sandbox population registry's two-element check (name + ID number). */
import express from 'express';
import { z } from 'zod';
import { parseIdNumber } from '../crypto/id-number.ts';
import { findCitizenById } from './citizens.ts';
import { issuePaths } from './issue-paths.ts';


const verifyBody = z.object({
  appId: z.string().min(1).max(64),
  requestId: z.string().min(1).max(64),
  idNumber: z.string().max(32),
  name: z.string().min(1).max(64),
});

export function registryRouter(appKeys: ReadonlySet<string>): express.Router {
  const r = express.Router();
  r.post('/v1/verify', (req, res) => {
    const key = req.get('x-app-key');
    if (key === undefined || !appKeys.has(key)) {
      res.status(401).json({ code: '4010', message: 'invalid app key' });
      return;
    }
    const parsed = verifyBody.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ code: '4001', message: `invalid or missing field: ${issuePaths(parsed.error).join(', ')}` });
      return;
    }
    const id = parseIdNumber(parsed.data.idNumber);
    if (!id.ok) {
      res.status(400).json({ code: '4001', message: 'invalid field: idNumber' });
      return;
    }
    const found = findCitizenById(id.value.idNumber);
    const result = !found ? 'not_found' : found.name === parsed.data.name.trim() ? 'consistent' : 'inconsistent';
    res.json({ code: '0000', result, requestId: parsed.data.requestId, checkedAt: new Date().toISOString() });
  });
  return r;
}

