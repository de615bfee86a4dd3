import * as snmp from 'net-snmp';
import { formatOid, type Oid, type VarBind } from '../snmp/index.js';
import type { EngineClock } from './engine-clock.js';
import type { Logger } from '../support/index.js';
import { stampEngineClock } from './net-snmp-adapter.js';
import type { TrapTarget, V3User } from './standalone-config.js';
import { formatUdpAddress } from './udp-address.js';
import { toWireVarbinds } from './varbind-codec.js';

export function netSnmpUser(user: V3User): snmp.User {
  const level =
    user.authProtocol === undefined
      ? snmp.SecurityLevel.noAuthNoPriv
      : user.privProtocol === undefined
        ? snmp.SecurityLevel.authNoPriv
        : snmp.SecurityLevel.authPriv;
  return {
    name: user.name,
    level,
    ...(user.authProtocol === undefined ? {} : { authProtocol: snmp.AuthProtocols[user.authProtocol], authKey: user.authKey }),
    ...(user.privProtocol === undefined ? {} : { privProtocol: snmp.PrivProtocols[user.privProtocol], privKey: user.privKey }),
  };
}

interface Destination {
  readonly target: TrapTarget;
  readonly label: string;
  readonly session: snmp.Session;
}

/**
 * SNMPv2 notifications (trap PDUs, unacknowledged) straight to each target,
 * v2c with its community or v3 with its user, this agent being the
 * authoritative engine as RFC 3414 wants for traps.
 */
export class TrapSender {
  private readonly destinations: readonly Destination[];
  sent = 0;
  failed = 0;

  constructor(targets: readonly TrapTarget[], engineId: string, clock: EngineClock, private readonly log: Logger) {
    this.destinations = targets.map((target) => {
      const { host, port, transport } = target.address;
      const options: snmp.SessionOptions = { trapPort: port, transport, engineID: engineId, retries: 0 };
      const session =
        'community' in target
          ? snmp.createSession(host, target.community, { ...options, version: snmp.Version2c })
          : snmp.createV3Session(host, netSnmpUser(target.user), { ...options, version: snmp.Version3 });
      if (!('community' in target)) stampEngineClock(session, clock);
      const label = `${formatUdpAddress(target.address)} (${'community' in target ? 'v2c' : `v3 user ${target.user.name}`})`;
      session.on('error', (err) => this.log.warn({ err, target: label }, 'trap target socket error'));
      return { target, label, session };
    });
  }

  get targets(): readonly string[] {
    return this.destinations.map((d) => d.label);
  }

  /** Sends to every target; sysUpTime.0 and snmpTrapOID.0 go first, as RFC 3416 4.2.6 wants. */
  send(trapOid: Oid, varbinds: readonly VarBind[], uptimeTicks: number): void {
    const wire = toWireVarbinds(varbinds);
    for (const d of this.destinations) {
      try {
        // upTime 0 would read as "absent" to net-snmp, which would then put its own process uptime.
        d.session.trap(formatOid(trapOid), wire.map((w) => ({ ...w })), { upTime: Math.max(uptimeTicks, 1) }, (err) => {
          if (err) {
            this.failed++;
            this.log.warn({ err, target: d.label, trapOid: formatOid(trapOid) }, 'notification not sent');
          } else {
            this.sent++;
          }
        });
      } catch (err) {
        this.failed++;
        this.log.warn({ err, target: d.label, trapOid: formatOid(trapOid) }, 'notification not sent');
      }
    }
  }

  close(): void {
    for (const d of this.destinations) {
      try {
        d.session.close();
      } catch {
        // Already closed: nothing left to release.
      }
    }
  }
}
