import type { VarBind } from '../snmp/index.js';
import { fromWireVarbind, startReceiver } from '../standalone/index.js';
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
    try {
      const receiver = await startReceiver(
        port,
        community,
        (wire) => onNotification(wire.map(fromWireVarbind).filter((vb): vb is VarBind => vb !== undefined)),
        onError,
      );
      return { port, close: () => receiver.close() };
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError instanceof Error ? lastError : new Error('no loopback port for the notification receiver');
}
