/** The login policy: one table of named checks (checks.ts) over data (policy-data.ts). */
export { CHECKS, decide, type CheckName, type FactsOf, type Verdict, type Verified } from './checks.ts';
export { policyDataFrom, policyDataSchema, staticPolicy, methodRuleOf, type PolicyData, type PolicySource, type MethodRule } from './policy-data.ts';
export { clientRuleOf, type ClientRule } from './client-rule.ts';
export { offeredMethods, requiredLevelFor, sessionSuffices } from './decisions.ts';
export { ACR_VALUES, acrOf, levelOf, combinedLevel, mergeAmr } from './levels.ts';
export { createLivePolicy, POLICY_CHANNEL, type LivePolicy } from './live-policy.ts';
export { policyBuilder, liveMethods, type AppliedPolicy } from './apply-policy.ts';
export { seedDocument } from './seed-policy.ts';
export { policyDocumentSchemaFor, diffDocuments, type PolicyDocument } from './policy-document.ts';
