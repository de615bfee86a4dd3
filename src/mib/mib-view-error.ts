import { formatOid, type Oid } from '../snmp/index.js';

/** A view that cannot be built as asked: the OID says which object or instance is at fault. */
export class MibViewError extends Error {
  constructor(
    readonly oid: Oid,
    reason: string,
  ) {
    super(`${formatOid(oid)}: ${reason}`);
    this.name = 'MibViewError';
  }
}
