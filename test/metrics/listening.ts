/** Where a TCP port is listening, from the kernel's socket table (Linux). */
import { readFile } from 'node:fs/promises';

/** The IPv4 addresses a listening socket on `port` is bound to ('0.0.0.0' for every interface). */
export async function boundAddressesOf(port: number): Promise<string[]> {
  const table = await readFile('/proc/net/tcp', 'utf8');
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return table
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f[3] === '0A' && f[1]?.endsWith(`:${hexPort}`))
    .map((f) => f[1]!.split(':')[0]!.match(/../g)!.reverse().map((h) => parseInt(h, 16)).join('.'));
}
