/**
 * A UDP relay between a manager (Net-SNMP's tools) and an agent, recording
 * every datagram, so that a test sees exactly what went on the wire and can
 * capture a request to replay it later, byte for byte.
 */
import { createSocket, type Socket } from 'node:dgram';

export interface Datagram {
  readonly from: 'manager' | 'agent';
  readonly bytes: Buffer;
}

export interface UdpRelay {
  /** `127.0.0.1:PORT`: give it to the tools instead of the agent's address. */
  readonly target: string;
  /** Every datagram so far, both ways, in order. */
  readonly datagrams: readonly Datagram[];
  /** Points the relay at another agent port (an agent restarted elsewhere). */
  retarget(port: number): void;
  close(): Promise<void>;
}

const bound = (socket: Socket): Promise<void> =>
  new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve();
    });
  });

/** Listens on a free loopback port and forwards to the agent at 127.0.0.1:`agentPort`; answers go back to the last manager. */
export async function startUdpRelay(agentPort: number): Promise<UdpRelay> {
  const datagrams: Datagram[] = [];
  const front = createSocket('udp4');
  const back = createSocket('udp4');
  await bound(front);
  await bound(back);
  let port = agentPort;
  let manager: { address: string; port: number } | undefined;
  front.on('message', (bytes, rinfo) => {
    manager = { address: rinfo.address, port: rinfo.port };
    datagrams.push({ from: 'manager', bytes: Buffer.from(bytes) });
    back.send(bytes, port, '127.0.0.1');
  });
  back.on('message', (bytes) => {
    datagrams.push({ from: 'agent', bytes: Buffer.from(bytes) });
    if (manager !== undefined) front.send(bytes, manager.port, manager.address);
  });
  return {
    target: `127.0.0.1:${front.address().port}`,
    datagrams,
    retarget: (next) => {
      port = next;
    },
    close: async () => {
      await new Promise<void>((resolve) => front.close(() => resolve()));
      await new Promise<void>((resolve) => back.close(() => resolve()));
    },
  };
}

/** Sends `bytes` to 127.0.0.1:`port` from a fresh socket: the first datagram back within `timeoutMs`, or undefined. */
export async function sendOnce(port: number, bytes: Buffer, timeoutMs = 1500): Promise<Buffer | undefined> {
  const socket = createSocket('udp4');
  await bound(socket);
  try {
    return await new Promise<Buffer | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), timeoutMs);
      socket.once('message', (reply) => {
        clearTimeout(timer);
        resolve(Buffer.from(reply));
      });
      socket.send(bytes, port, '127.0.0.1');
    });
  } finally {
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}
