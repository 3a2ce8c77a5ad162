/**
 * Swaps the signing keys of a running oidc-provider. Its keystore sits in a private field
 * filled once, from `configuration.jwks`, by the library's own initializer; the library offers
 * no public way to change it (its author's advice is a rolling restart). Both modules used here
 * are part of oidc-provider's published files (its package.json has no "exports" map), and
 * every reader of the keys (ID tokens, JWT access tokens, id_token_hint checks, the /jwks
 * response) asks that field afresh on each use, so running the same initializer again with the
 * new set is a complete, atomic swap: one assignment of the keystore and one of the public set.
 * A change in the library's internals fails loudly at start-up (`checkKeystoreSwap`), never by
 * signing with a stale key.
 */
import type Provider from 'oidc-provider';
import type { JWK } from 'jose';

type Initialize = (this: Provider, jwks: { keys: JWK[] }) => void;
type Internals = (provider: Provider) => { keystore?: unknown; jwks?: { keys: Array<{ kid?: string }> } } | undefined;

const HELPERS = 'oidc-provider/lib/helpers/';
let loaded: Promise<{ initialize: Initialize; internals: Internals }> | undefined;

function library() {
  loaded ??= Promise.all([import(`${HELPERS}initialize_keystore.js`), import(`${HELPERS}weak_cache.js`)]).then(([init, cache]) => ({
    initialize: (init as { default: Initialize }).default,
    internals: (cache as { default: Internals }).default,
  }));
  return loaded;
}

/** Published kids of the provider's keystore, in its order (the first of an alg signs). */
export async function publishedKids(provider: Provider): Promise<string[]> {
  const { internals } = await library();
  return (internals(provider)?.jwks?.keys ?? []).map((k) => String(k.kid));
}

/** Replaces the provider's signing keys with `keys` (private JWKs, per alg the signing one first). */
export async function swapSigningKeys(provider: Provider, keys: JWK[]): Promise<void> {
  const { initialize } = await library();
  initialize.call(provider, { keys: structuredClone(keys) });
}

/** Throws unless this oidc-provider keeps its keys where swapSigningKeys replaces them. */
export async function checkKeystoreSwap(provider: Provider): Promise<void> {
  const { internals } = await library();
  const state = internals(provider);
  if (!state?.keystore || !Array.isArray(state.jwks?.keys)) {
    throw new Error('oidc-provider no longer keeps its keystore where live key rotation expects it; check src/keys/provider-keystore.ts against this version');
  }
}
