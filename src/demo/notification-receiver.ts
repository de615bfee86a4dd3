import * as snmp from 'net-snmp';
import type { VarBind } from '../snmp/index.js';
import { fromWireVarbind } from '../standalone/index.js';
import { freeUdpPort } from '../net/free-port.js';

export interface NotificationReceiver {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * An SNMPv2c notification receiver on a loopback port (net-snmp's receiver):
 * the demo's stand-in for snmptrapd. The port is picked free; another process
 * may take it before the bind, so binding is retried a few times.
 */
export async function startNotificationReceiver(
  community: string,
  onNotification: (varbinds: readonly VarBind[]) => void,
  onError: (err: Error) => void,
): Promise<NotificationReceiver> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freeUdpPort();
    let starting = true;
    let failStart: ((err: Error) => void) | undefined;
    const receiver = snmp.createReceiver({ port, address: '127.0.0.1', transport: 'udp4' }, (error, notification) => {
      if (error) {
        if (starting) failStart?.(error);
        else onError(error);
        return;
      }
      if (notification === undefined) return;
      const varbinds = notification.pdu.varbinds.map(fromWireVarbind).filter((vb): vb is VarBind => vb !== undefined);
      onNotification(varbinds);
    });
    receiver.getAuthorizer().addCommunity(community);
    const sockets = Object.values(receiver.listener.sockets);
    try {
      await new Promise<void>((resolve, reject) => {
        failStart = reject;
        let pending = sockets.length;
        for (const s of sockets) s.once('listening', () => --pending === 0 && resolve());
      });
      starting = false;
      return {
        port,
        close: () => new Promise<void>((resolve) => receiver.close(() => resolve())),
      };
    } catch (err) {
      lastError = err;
      // net-snmp's close asks each socket its address, which throws for one that never bound.
      for (const s of sockets) {
        try {
          s.close();
        } catch {
          // Already closed.
        }
      }
    }
  }
  throw lastError instanceof Error ? lastError : new Error('no loopback port for the notification receiver');
}
