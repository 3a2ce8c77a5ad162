/**
 * The service's own clients: the citizen's account page, the counter console and the admin console. They are built
 * from ISSUER at every start and held in each process's memory, never stored, so no CLI run or
 * client file (with another ISSUER, or none) can point their redirects elsewhere. Their ids are
 * reserved: adding, changing or removing them through the CLI or a client file is refused.
 */
export const ACCOUNT_CLIENT_ID = 'tongban-account';
export const COUNTER_CLIENT_ID = 'tongban-counter';
export const ADMIN_CLIENT_ID = 'tongban-admin';

const PURPOSE: Record<string, string> = {
  [ACCOUNT_CLIENT_ID]: 'the account page (/account)',
  [COUNTER_CLIENT_ID]: 'the counter console (/counter)',
  [ADMIN_CLIENT_ID]: 'the admin console (/admin)',
};

export function isReservedClientId(clientId: string): boolean {
  return Object.hasOwn(PURPOSE, clientId);
}

/** Why `clientId` cannot be added, changed or removed by an operator. */
export function reservedClientMessage(clientId: string): string {
  return `client_id ${clientId} is reserved for ${PURPOSE[clientId]}: the service builds it from ISSUER at every start, and it cannot be added, changed or removed`;
}

/** The registration documents, for this issuer (first-party public clients of ours). */
export function internalClientDocuments(issuer: string): Array<Record<string, unknown> & { client_id: string }> {
  return [
    {
      client_id: ACCOUNT_CLIENT_ID,
      client_name: '我的账号 My account',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code'],
      redirect_uris: [`${issuer}/account/callback`],
      scope: 'openid',
      subject_type: 'public',
      tongban_first_party: true,
    },
    {
      client_id: COUNTER_CLIENT_ID,
      client_name: '窗口工作台 Counter console',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code'],
      redirect_uris: [`${issuer}/counter/callback`],
      scope: 'openid',
      subject_type: 'public',
      tongban_first_party: true,
      // staff sign in with a level-3 method only
      tongban_min_level: 3,
    },
    {
      client_id: ADMIN_CLIENT_ID,
      client_name: '安全管理控制台 Security admin console',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code'],
      redirect_uris: [`${issuer}/admin/callback`],
      scope: 'openid',
      subject_type: 'public',
      tongban_first_party: true,
      // security admins sign in with a level-3 method only
      tongban_min_level: 3,
    },
  ];
}
