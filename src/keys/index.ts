export { loadKeys, DEFAULT_KEYS_DIR, type Keys, type LoadKeysOptions } from './load-keys.ts';
export { rotateSigningKeys, describeSigningKeys, type RotationResult } from './rotate-signing-key.ts';
export { SIGNING_ALGS, type SigningAlg, type KeyStatus, type SigningKeyInfo } from './signing-keys.ts';
export { createSigningKeyStore, KEYS_CHANNEL, type SigningKeyStore, type StoredKey, type StoredKeyStatus } from './key-store.ts';
