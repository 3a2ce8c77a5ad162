export { createIdentityService, type IdentityService } from './identity-service.ts';
export type { Person, Proofing, CredentialMatch, CredentialSummary, Consent, EnrolResult, BoundCredential } from './types.ts';
