export * from './constants.js';
export * from './errors.js';
export type * from './pdu.js';
export { decodeHeader, decodePdu, headerProblem, DEFAULT_MAX_PAYLOAD_LENGTH } from './decode.js';
export { encodePdu, type EncodeOptions } from './encode.js';
export { AgentXStreamDecoder, type StreamItem } from './stream-decoder.js';
export { handleRequest, isRequestPdu, type RequestPdu } from './request-handler.js';
export { parseMasterAddress, formatMasterAddress, DEFAULT_MASTER_ADDRESS, AGENTX_TCP_PORT, type MasterAddress } from './master-address.js';
export {
  AgentXSession,
  SYS_UP_TIME_0,
  SNMP_TRAP_OID_0,
  DEFAULT_BACKOFF,
  type AgentXSessionOptions,
  type AgentXSessionEvents,
  type AgentXSessionCounters,
  type RegisterOptions,
} from './session.js';
