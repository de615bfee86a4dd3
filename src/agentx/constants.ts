/** RFC 2741 6.1: the values of h.type. */
export const PduType = {
  Open: 1,
  Close: 2,
  Register: 3,
  Unregister: 4,
  Get: 5,
  GetNext: 6,
  GetBulk: 7,
  TestSet: 8,
  CommitSet: 9,
  UndoSet: 10,
  CleanupSet: 11,
  Notify: 12,
  Ping: 13,
  IndexAllocate: 14,
  IndexDeallocate: 15,
  AddAgentCaps: 16,
  RemoveAgentCaps: 17,
  Response: 18,
} as const;
export type PduTypeName = keyof typeof PduType;
export type PduTypeCode = (typeof PduType)[PduTypeName];

const typeNames = new Map<number, PduTypeName>(
  (Object.entries(PduType) as [PduTypeName, number][]).map(([name, code]) => [code, name]),
);
export function pduTypeName(code: number): PduTypeName | undefined {
  return typeNames.get(code);
}

/** RFC 2741 6.1: bits of h.flags. */
export const Flag = {
  INSTANCE_REGISTRATION: 0x01,
  NEW_INDEX: 0x02,
  ANY_INDEX: 0x04,
  NON_DEFAULT_CONTEXT: 0x08,
  NETWORK_BYTE_ORDER: 0x10,
} as const;

export const HEADER_LENGTH = 20;
export const AGENTX_VERSION = 1;

/** RFC 2741 6.2.2: c.reason. */
export const CloseReason = {
  other: 1,
  parseError: 2,
  protocolError: 3,
  timeouts: 4,
  shutdown: 5,
  byManager: 6,
} as const;
export type CloseReasonName = keyof typeof CloseReason;

/** RFC 2741 6.2.16: res.error, administrative and SNMP request processing. */
export const ResponseError = {
  noAgentXError: 0,
  genErr: 5,
  noAccess: 6,
  wrongType: 7,
  wrongLength: 8,
  wrongEncoding: 9,
  wrongValue: 10,
  noCreation: 11,
  inconsistentValue: 12,
  resourceUnavailable: 13,
  commitFailed: 14,
  undoFailed: 15,
  notWritable: 17,
  inconsistentName: 18,
  openFailed: 256,
  notOpen: 257,
  indexWrongType: 258,
  indexAlreadyAllocated: 259,
  indexNoneAvailable: 260,
  indexNotAllocated: 261,
  unsupportedContext: 262,
  duplicateRegistration: 263,
  unknownRegistration: 264,
  unknownAgentCaps: 265,
  parseError: 266,
  requestDenied: 267,
  processingError: 268,
} as const;

const errorNames = new Map<number, string>(Object.entries(ResponseError).map(([n, c]) => [c, n]));
export function responseErrorName(code: number): string {
  return errorNames.get(code) ?? `error ${code}`;
}

/** RFC 2741 5.4: the varbind v.type tags. */
export const ValueTag = {
  Integer: 2,
  OctetString: 4,
  Null: 5,
  ObjectIdentifier: 6,
  IpAddress: 64,
  Counter32: 65,
  Gauge32: 66,
  TimeTicks: 67,
  Opaque: 68,
  Counter64: 70,
  noSuchObject: 128,
  noSuchInstance: 129,
  endOfMibView: 130,
} as const;

/** PDU types that may carry a context (RFC 2741 6.1, NON_DEFAULT_CONTEXT). */
export const CONTEXT_PDU_TYPES: ReadonlySet<number> = new Set([
  PduType.Register,
  PduType.Unregister,
  PduType.Get,
  PduType.GetNext,
  PduType.GetBulk,
  PduType.TestSet,
  PduType.Notify,
  PduType.Ping,
  PduType.IndexAllocate,
  PduType.IndexDeallocate,
  PduType.AddAgentCaps,
  PduType.RemoveAgentCaps,
]);
