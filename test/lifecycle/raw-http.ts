/** HTTP/1.1 spoken by hand over a socket, for requests held half-sent while the service stops. */
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';

export interface RawReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface RawConnection {
  socket: Socket;
  write(text: string): Promise<void>;
  /** resolves when `text` has arrived (e.g. "100 Continue") */
  until(text: string): Promise<void>;
  /** the final reply (after any 100 Continue), read until the server closes the connection */
  reply(): Promise<RawReply>;
  /** resolves when the server has closed the connection */
  closed: Promise<void>;
  received(): string;
}

export async function openRaw(port: number): Promise<RawConnection> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  let data = '';
  const waiters: Array<() => void> = [];
  socket.setEncoding('utf8').on('data', (d: string) => {
    data += d;
    for (const w of waiters.splice(0)) w();
  });
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const until = async (text: string) => {
    while (!data.includes(text)) {
      const more = new Promise<void>((resolve) => waiters.push(resolve));
      await Promise.race([more, closed]);
      if (!data.includes(text) && socket.destroyed) throw new Error(`connection closed before "${text}" arrived: ${JSON.stringify(data)}`);
    }
  };
  return {
    socket,
    write: (text) => new Promise((resolve, reject) => socket.write(text, (err) => (err ? reject(err) : resolve()))),
    until,
    async reply() {
      await closed;
      const final = data.replace(/^HTTP\/1\.1 100 Continue\r\n\r\n/, '');
      const [head = '', ...rest] = final.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const status = Number(statusLine.split(' ')[1]);
      const headers = Object.fromEntries(headerLines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      return { status, headers, body: rest.join('\r\n\r\n') };
    },
    closed,
    received: () => data,
  };
}

/** true when a new TCP connection to the port is refused */
export async function refusesConnections(port: number): Promise<boolean> {
  const socket = connect(port, '127.0.0.1');
  try {
    await once(socket, 'connect');
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ECONNREFUSED';
  } finally {
    socket.destroy();
  }
}
