/** OpenAPI 3.1 `paths` of the signing-keys API (relative to /admin/api). */
import { SIGNING_ALGS } from '../../keys/index.ts';
import { body, jsonOf, failures, obj, op, ok, pathParam, reason } from '../helpdesk/openapi.ts';

const proposal = {
  '202': { description: 'waits for a second key_admin (see /changes)', ...jsonOf(obj({ status: { const: 'pending' }, request_id: { type: 'string', format: 'uuid' }, expires_at: { type: 'string', format: 'date-time' } })) },
  ...failures,
};
const kid = pathParam('kid');
const status = { enum: ['next', 'active', 'retired', 'removed'] };
const when = { type: ['string', 'null'], format: 'date-time' };

export const keysPaths: Record<string, unknown> = {
  '/keys': {
    get: op(
      'keysList',
      'Signing keys, newest first: NEXT is published, ACTIVE signs, RETIRED is still published, REMOVED no longer is (key_admin, auditor)',
      {},
      ok('keys', obj({ keys: { type: 'array', items: obj({ kid: { type: 'string' }, alg: { type: 'string' }, status, created_at: { type: 'string' }, activated_at: when, retired_at: when, removed_at: when }) } })),
    ),
  },
  '/keys/publish': { post: op('keysPublish', 'Propose publishing a fresh NEXT key (change kind keys.rotate)', body(obj({ alg: { enum: [...SIGNING_ALGS] }, reason })), proposal) },
  '/keys/{kid}/activate': { post: op('keysActivate', 'Propose that a published NEXT key signs from now on (keys.rotate)', { ...kid, ...body(obj({ reason })) }, proposal) },
  '/keys/{kid}/retire': { post: op('keysRetire', 'Propose withdrawing a RETIRED or unused NEXT key from the JWKS (keys.retire)', { ...kid, ...body(obj({ reason })) }, proposal) },
};
