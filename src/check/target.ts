/** Where a remote check reads the bonds: an agent serving LINUX-BONDING-MIB, and how to authenticate to it. */
import type { AuthProtocol, PrivProtocol } from '../snmp/index.js';

export type SnmpAuth =
  | { readonly version: '2c'; readonly community: string }
  | {
      readonly version: '3';
      readonly user: string;
      readonly auth?: { readonly protocol: AuthProtocol; readonly key: string };
      readonly priv?: { readonly protocol: PrivProtocol; readonly key: string };
    };

export interface RemoteTarget {
  readonly host: string;
  readonly port: number;
  readonly transport: 'udp4' | 'udp6';
  readonly auth: SnmpAuth;
}
