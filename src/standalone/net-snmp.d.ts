/**
 * The part of the `net-snmp` package (3.x, plain JavaScript) that the embedded
 * agent uses. Written here because the package ships no types; only what is
 * called is declared, and the agent's internal request hooks are marked as such.
 */
declare module 'net-snmp' {
  import type { Socket } from 'node:dgram';

  export const Version1: 0;
  export const Version2c: 1;
  export const Version3: 3;

  export const ObjectType: {
    readonly Integer: 2;
    readonly OctetString: 4;
    readonly Null: 5;
    readonly OID: 6;
    readonly IpAddress: 64;
    readonly Counter: 65;
    readonly Gauge: 66;
    readonly TimeTicks: 67;
    readonly Opaque: 68;
    readonly Counter64: 70;
    readonly NoSuchObject: 128;
    readonly NoSuchInstance: 129;
    readonly EndOfMibView: 130;
    readonly [name: string]: number | string;
  };
  export const PduType: {
    readonly GetRequest: 160;
    readonly GetNextRequest: 161;
    readonly GetResponse: 162;
    readonly SetRequest: 163;
    readonly GetBulkRequest: 165;
    readonly InformRequest: 166;
    readonly TrapV2: 167;
    readonly [name: string]: number | string;
  };
  export const ErrorStatus: {
    readonly NoError: 0;
    readonly GeneralError: 5;
    readonly NoAccess: 6;
    readonly NotWritable: 17;
    readonly [name: string]: number | string;
  };
  export const SecurityLevel: { readonly noAuthNoPriv: 1; readonly authNoPriv: 2; readonly authPriv: 3 };
  export const AuthProtocols: {
    readonly md5: 2;
    readonly sha: 3;
    readonly sha224: 4;
    readonly sha256: 5;
    readonly sha384: 6;
    readonly sha512: 7;
  };
  export const PrivProtocols: { readonly des: 2; readonly aes: 4; readonly aes256b: 6; readonly aes256r: 8 };

  export interface Varbind {
    oid: string;
    type: number;
    value: unknown;
  }

  export interface User {
    name: string;
    level: number;
    authProtocol?: number;
    authKey?: string;
    privProtocol?: number;
    privKey?: string;
  }

  export interface Pdu {
    type: number;
    id: number;
    varbinds: Varbind[];
    nonRepeaters?: number;
    maxRepetitions?: number;
    errorStatus?: number;
    errorIndex?: number;
    contextName?: string;
  }

  /** A decoded, authenticated request (net-snmp internal). */
  export interface Message {
    version: number;
    community?: string;
    user?: User;
    pdu: Pdu & { getResponsePduForRequest(): Pdu };
  }

  export interface RemoteInfo {
    address: string;
    port: number;
    family: string;
  }

  export interface Authorizer {
    addCommunity(community: string): void;
    addUser(user: User): void;
  }

  /** Request handler hooks: net-snmp's onMsg calls these after authentication. */
  export type RequestHook = (socket: Socket, message: Message, rinfo: RemoteInfo) => void;

  export interface Agent {
    getAuthorizer(): Authorizer;
    getRequest: RequestHook;
    getNextRequest: RequestHook;
    getBulkRequest: RequestHook;
    setRequest: RequestHook;
    onProxyRequest: RequestHook;
    sendResponse(socket: Socket, rinfo: RemoteInfo, request: Message, response: Pdu): void;
    /** net-snmp internal: the sockets it listens on, by "transport:address:port". */
    listener: { sockets: Record<string, Socket> };
    close(callback?: () => void): void;
  }

  export interface AgentOptions {
    port?: number;
    address?: string | null;
    transport?: 'udp4' | 'udp6';
    engineID?: string | Buffer;
    disableAuthorization?: boolean;
    accessControlModelType?: number;
  }

  export function createAgent(
    options: AgentOptions,
    callback: (error: Error | null, data?: unknown) => void,
  ): Agent;

  export interface SessionOptions {
    version?: number;
    port?: number;
    trapPort?: number;
    transport?: 'udp4' | 'udp6';
    engineID?: string | Buffer;
    retries?: number;
    timeout?: number;
  }

  export interface Session {
    trap(
      typeOrOid: string,
      varbinds: Varbind[],
      options: { upTime?: number },
      callback: (error: Error | null) => void,
    ): void;
    close(): void;
    on(event: 'error', listener: (error: Error) => void): void;
  }

  export function createSession(target: string, community: string, options?: SessionOptions): Session;
  export function createV3Session(target: string, user: User, options?: SessionOptions): Session;

  export interface ReceivedNotification {
    pdu: Pdu;
    rinfo: RemoteInfo;
  }

  export interface Receiver {
    getAuthorizer(): Authorizer;
    close(callback?: () => void): void;
    /** net-snmp internal: the sockets it listens on, by "transport:address:port". */
    listener: { sockets: Record<string, Socket> };
  }

  export function createReceiver(
    options: { port?: number; address?: string | null; transport?: 'udp4' | 'udp6'; disableAuthorization?: boolean; engineID?: string },
    callback: (error: Error | null, notification?: ReceivedNotification) => void,
  ): Receiver;
}
