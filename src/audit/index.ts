export { createAuditLog, type AuditLog } from './audit-log.ts';
export { verifyChain, type ChainHead, type ChainVerification } from './verify-chain.ts';
export type {
  AuditEvent,
  AuditEventOf,
  AuditEventType,
  AuditEventFields,
  AuditEnvelope,
  AuditRecord,
} from './events.ts';
