export { createIdentityService, type IdentityService } from './identity-service.ts';
export type { Person, Proofing, CredentialMatch, CredentialSummary, Consent, ConsentRecord, EnrolResult, BoundCredential } from './types.ts';
