import type { Oid, SearchRange, VarBind } from '../snmp/index.js';

export type { SearchRange };

/** The fixed 20-byte header as read from the wire (RFC 2741 6.1). */
export interface PduHeader {
  readonly version: number;
  readonly type: number;
  readonly flags: number;
  readonly sessionId: number;
  readonly transactionId: number;
  readonly packetId: number;
  readonly payloadLength: number;
}

/** The header fields a PDU carries beyond its type; flags are derived from the body. */
export interface PduIds {
  readonly sessionId: number;
  readonly transactionId: number;
  readonly packetId: number;
}

interface Base extends PduIds {
  /** Octets of a non-default context (the NON_DEFAULT_CONTEXT flag); absent for the default one. */
  readonly context?: Uint8Array;
}

export interface OpenPdu extends PduIds {
  readonly type: 'Open';
  /** o.timeout in seconds; 0 lets the master choose. */
  readonly timeout: number;
  readonly id: Oid;
  readonly description: Uint8Array;
}

export interface ClosePdu extends PduIds {
  readonly type: 'Close';
  readonly reason: number;
}

export interface RegisterPdu extends Base {
  readonly type: 'Register';
  readonly timeout: number;
  readonly priority: number;
  readonly subtree: Oid;
  /** r.range_subid (1-based) and r.upper_bound; 0 / undefined for a plain subtree. */
  readonly rangeSubid: number;
  readonly upperBound?: number;
  readonly instanceRegistration: boolean;
}

export interface UnregisterPdu extends Base {
  readonly type: 'Unregister';
  readonly priority: number;
  readonly subtree: Oid;
  readonly rangeSubid: number;
  readonly upperBound?: number;
}

export interface GetPdu extends Base {
  readonly type: 'Get';
  readonly ranges: readonly SearchRange[];
}

export interface GetNextPdu extends Base {
  readonly type: 'GetNext';
  readonly ranges: readonly SearchRange[];
}

export interface GetBulkPdu extends Base {
  readonly type: 'GetBulk';
  readonly nonRepeaters: number;
  readonly maxRepetitions: number;
  readonly ranges: readonly SearchRange[];
}

export interface TestSetPdu extends Base {
  readonly type: 'TestSet';
  readonly varbinds: readonly VarBind[];
}

export interface CommitSetPdu extends PduIds {
  readonly type: 'CommitSet';
}
export interface UndoSetPdu extends PduIds {
  readonly type: 'UndoSet';
}
export interface CleanupSetPdu extends PduIds {
  readonly type: 'CleanupSet';
}

export interface NotifyPdu extends Base {
  readonly type: 'Notify';
  readonly varbinds: readonly VarBind[];
}

export interface PingPdu extends Base {
  readonly type: 'Ping';
}

export interface IndexAllocatePdu extends Base {
  readonly type: 'IndexAllocate';
  readonly newIndex: boolean;
  readonly anyIndex: boolean;
  readonly varbinds: readonly VarBind[];
}

export interface IndexDeallocatePdu extends Base {
  readonly type: 'IndexDeallocate';
  readonly varbinds: readonly VarBind[];
}

export interface AddAgentCapsPdu extends Base {
  readonly type: 'AddAgentCaps';
  readonly id: Oid;
  readonly description: Uint8Array;
}

export interface RemoveAgentCapsPdu extends Base {
  readonly type: 'RemoveAgentCaps';
  readonly id: Oid;
}

export interface ResponsePdu extends PduIds {
  readonly type: 'Response';
  readonly sysUpTime: number;
  readonly error: number;
  /** 1-based index of the varbind in error; 0 when none. */
  readonly index: number;
  readonly varbinds: readonly VarBind[];
}

export type AgentXPdu =
  | OpenPdu
  | ClosePdu
  | RegisterPdu
  | UnregisterPdu
  | GetPdu
  | GetNextPdu
  | GetBulkPdu
  | TestSetPdu
  | CommitSetPdu
  | UndoSetPdu
  | CleanupSetPdu
  | NotifyPdu
  | PingPdu
  | IndexAllocatePdu
  | IndexDeallocatePdu
  | AddAgentCapsPdu
  | RemoveAgentCapsPdu
  | ResponsePdu;

export type AgentXPduType = AgentXPdu['type'];
