/** The text-message code step, from the core (the forgotten-password reset uses it too). */
export * from '../../src/interaction/otp-step.ts';
