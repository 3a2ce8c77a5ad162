/** Rate-limit settings tests start a service with. */
const roomy = { threshold: 10_000, windowSeconds: 3600, baseSeconds: 60, maxSeconds: 900 };
/** Rate-limit scopes far above what a test sends, for tests whose subject is not the limits (timing samples, many tries from one address). */
export const roomyScopes = { pair: roomy, id: roomy, 'id-day': roomy, device: roomy, card: roomy, ip: roomy, enrol: roomy, 'daily-number': roomy, 'daily-ip': roomy };
