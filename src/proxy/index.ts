/** Family proxy (亲友代办): mandates, their set-up on /account, and signing in on a citizen's behalf. */
export { createMandateStore, type Mandate, type MandateStore, type NewMandate } from './mandates.ts';
export { proxySetupRouter } from './setup-routes.ts';
export { offerOnBehalf, onBehalfRouter } from './on-behalf.ts';
export { departmentsFor, type ProxyDeps } from './deps.ts';
