export { StandaloneAgent, NoCredentialError, type StandaloneAgentOptions, type StandaloneCounters } from './standalone-agent.js';
export {
  parseStandaloneConfig,
  readStandaloneConfig,
  defaultEngineId,
  StandaloneConfigError,
  AUTH_PROTOCOLS,
  PRIV_PROTOCOLS,
  type StandaloneSecurity,
  type TrapTarget,
  type V3User,
  type AuthProtocol,
  type PrivProtocol,
} from './standalone-config.js';
export { parseUdpAddress, formatUdpAddress, isLoopback, UdpAddressError, type UdpAddress } from './udp-address.js';
export { systemGroup, buildSysOrView, SYSTEM, SYS_DESCR, SYS_OBJECT_ID, SYS_UP_TIME, SYS_NAME, SYS_OR_LAST_CHANGE, SYS_OR_TABLE, type SystemIdentity, type Capability } from './system-group.js';
export { ScalarProvider, type DynamicScalar } from './scalar-provider.js';
export { answerRequest, ERROR_STATUS, type Answer, type ReadRequest, type RequestKind } from './request-answer.js';
export { fromWireVarbind, toWireVarbind, toWireValue, type WireVarbind } from './varbind-codec.js';
export { NetSnmpAgent, NetSnmpContractError, checkNetSnmpInternals, startReceiver, stampEngineClock, type IncomingRequest, type Reply } from './net-snmp-adapter.js';
