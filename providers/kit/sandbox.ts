/**
 * What a method's sandbox (its simulated authority) uses: the synthetic citizens and the plain
 * pages. Loaded only by the sandbox process and tests, never by the service itself.
 */
export { CITIZENS, citizen, findCitizenById, findCitizenByPhone, type Citizen } from '../../src/sandbox/citizens.ts';
export { esc, hiddenInputs, page, strings } from './sandbox-pages.ts';
