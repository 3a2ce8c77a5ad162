/**
 * oidc-provider's outbound calls (back-channel logout, jwks_uri) refuse special-use addresses.
 * With ALLOW_LOOPBACK_FETCH (local demo and tests only) calls to a literal loopback host go
 * through without that guard; every other address keeps it.
 */
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

export function loopbackAwareFetch(allowLoopback: boolean) {
  return (url: string | URL | Request, options?: RequestInit): Promise<Response> => {
    const target = url instanceof Request ? url.url : url;
    if (allowLoopback && options && LOOPBACK.test(new URL(target).hostname)) {
      const { dispatcher: _guard, ...rest } = options as RequestInit & { dispatcher?: unknown };
      return globalThis.fetch(url, rest);
    }
    return globalThis.fetch(url, options);
  };
}
