export { createAuditLog, type AuditLog, type AuditedTx, type AuditInput } from './audit-log.ts';
export { verifyChain, type ChainHead, type ChainVerification } from './verify-chain.ts';
export { countUnchained } from './outbox.ts';
export { createRefusalTally, type RefusalTally, type Refusal } from './refusal-tally.ts';
export { AuditRefused } from './prepare-event.ts';
export type {
  AuditEvent,
  AuditEventOf,
  AuditEventType,
  AuditEventFields,
  AuditEnvelope,
  AuditRecord,
} from './events.ts';
