// test-pass: postgres-redis — runs on the in-process store there too, beside Redis
import { ephemeralBackends } from '../support/backends.ts';
import { ephemeralContract } from './ephemeral-contract.ts';

for (const backend of ephemeralBackends()) ephemeralContract(backend);
