import type { PduHeader } from './pdu.js';

/**
 * A PDU that cannot be decoded. Carries the header when it was readable and the
 * byte offset (from the start of the PDU) where decoding gave up, so a log line
 * says which packet and where.
 */
export class AgentXDecodeError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly header?: PduHeader,
  ) {
    super(header ? `${message} (offset ${offset}, PDU type ${header.type}, packetID ${header.packetId})` : `${message} (offset ${offset})`);
    this.name = 'AgentXDecodeError';
  }
}

/** A value that cannot be put on the wire (a number out of range, an OID too long). */
export class AgentXEncodeError extends Error {
  constructor(message: string, readonly pduType?: string) {
    super(pduType ? `${pduType}: ${message}` : message);
    this.name = 'AgentXEncodeError';
  }
}

/** A request we sent that the master refused, or that got no answer in time. */
export class AgentXRequestError extends Error {
  constructor(
    message: string,
    readonly pduType: string,
    readonly errorCode?: number,
  ) {
    super(message);
    this.name = 'AgentXRequestError';
  }
}

export class MasterAddressError extends Error {
  constructor(readonly text: string, reason: string) {
    super(`invalid AgentX master address "${text}": ${reason}`);
    this.name = 'MasterAddressError';
  }
}
