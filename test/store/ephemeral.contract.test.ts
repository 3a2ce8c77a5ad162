import { ephemeralBackends } from '../support/backends.ts';
import { ephemeralContract } from './ephemeral-contract.ts';

for (const backend of ephemeralBackends()) ephemeralContract(backend);
