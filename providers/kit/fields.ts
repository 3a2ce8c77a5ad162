/** The shared field specs and input checks, from the core (its own forms use them too). */
export * from '../../src/interaction/method-fields.ts';
