export { StandaloneAgent, NoCredentialError, type StandaloneAgentOptions, type StandaloneCounters } from './standalone-agent.js';
export {
  parseStandaloneConfig,
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
export { buildInterfacesView, ifOperStatus, IF_TYPE, IF_ENTRY, IF_X_ENTRY, INTERFACES, IF_MIB, type InterfaceRow } from './interfaces-view.js';
export { systemGroup, SYSTEM, type SystemIdentity } from './system-group.js';
export { CompositeProvider, type ProviderPart } from './composite-provider.js';
export { ScalarProvider, type DynamicScalar } from './scalar-provider.js';
export { answerRequest, ERROR_STATUS, type Answer, type ReadRequest, type RequestKind } from './request-answer.js';
export { fromWireVarbind, toWireVarbind, toWireValue, type WireVarbind } from './varbind-codec.js';
export type { AgentLogger } from './logger.js';
