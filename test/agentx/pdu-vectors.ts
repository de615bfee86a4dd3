import { snmp } from '../../src/snmp/index.js';
import type { AgentXPdu } from '../../src/agentx/index.js';
import { hex } from './hex.js';

const te = new TextEncoder();
const PLAYPEN = [1, 3, 6, 1, 4, 1, 8072, 9999, 9999];

export interface Vector {
  readonly name: string;
  readonly pdu: AgentXPdu;
  /** Network byte order, as we send it. */
  readonly bytes: Uint8Array;
}

// Every PDU type of RFC 2741 6.2, written out byte by byte.
export const vectors: readonly Vector[] = [
  {
    name: 'Open',
    pdu: { type: 'Open', sessionId: 0, transactionId: 1, packetId: 1, timeout: 5, id: [1, 3, 6, 1, 4, 1, 8072, 9999], description: te.encode('test') },
    bytes: hex(`
      01 01 10 00   # version 1, Open, NETWORK_BYTE_ORDER, reserved
      00 00 00 00   # h.sessionID
      00 00 00 01   # h.transactionID
      00 00 00 01   # h.packetID
      00 00 00 1c   # h.payload_length 28
      05 00 00 00   # o.timeout 5 s, reserved
      03 04 00 00   # o.id: n_subid 3, prefix 4 (1.3.6.1.4), include 0
      00 00 00 01   #   1
      00 00 1f 88   #   8072
      00 00 27 0f   #   9999
      00 00 00 04   # o.descr length 4
      74 65 73 74   #   "test"
    `),
  },
  {
    name: 'Close',
    pdu: { type: 'Close', sessionId: 7, transactionId: 2, packetId: 2, reason: 5 },
    bytes: hex(`
      01 02 10 00  00 00 00 07  00 00 00 02  00 00 00 02  00 00 00 04
      05 00 00 00   # c.reason reasonShutdown
    `),
  },
  {
    name: 'Register (subtree)',
    pdu: { type: 'Register', sessionId: 7, transactionId: 3, packetId: 3, timeout: 0, priority: 127, subtree: PLAYPEN, rangeSubid: 0, instanceRegistration: false },
    bytes: hex(`
      01 03 10 00  00 00 00 07  00 00 00 03  00 00 00 03  00 00 00 18
      00 7f 00 00   # r.timeout 0, r.priority 127, r.range_subid 0
      04 04 00 00   # subtree: n_subid 4, prefix 4
      00 00 00 01  00 00 1f 88  00 00 27 0f  00 00 27 0f
    `),
  },
  {
    name: 'Register (range, instance)',
    pdu: {
      type: 'Register',
      sessionId: 7,
      transactionId: 4,
      packetId: 4,
      timeout: 2,
      priority: 100,
      subtree: [1, 3, 6, 1, 2, 1, 2, 2, 1, 1, 1],
      rangeSubid: 11,
      upperBound: 8,
      instanceRegistration: true,
    },
    bytes: hex(`
      01 03 11 00   # flags: INSTANCE_REGISTRATION | NETWORK_BYTE_ORDER
      00 00 00 07  00 00 00 04  00 00 00 04  00 00 00 24
      02 64 0b 00   # r.timeout 2, r.priority 100, r.range_subid 11
      06 02 00 00   # subtree 1.3.6.1.2.1.2.2.1.1.1: n_subid 6, prefix 2
      00 00 00 01  00 00 00 02  00 00 00 02  00 00 00 01  00 00 00 01  00 00 00 01
      00 00 00 08   # r.upper_bound: ifIndex 1..8
    `),
  },
  {
    name: 'Register (non-default context)',
    pdu: { type: 'Register', sessionId: 7, transactionId: 5, packetId: 5, context: te.encode('ctx'), timeout: 0, priority: 127, subtree: PLAYPEN, rangeSubid: 0, instanceRegistration: false },
    bytes: hex(`
      01 03 18 00   # flags: NON_DEFAULT_CONTEXT | NETWORK_BYTE_ORDER
      00 00 00 07  00 00 00 05  00 00 00 05  00 00 00 20
      00 00 00 03  63 74 78 00   # context "ctx", one byte of padding
      00 7f 00 00
      04 04 00 00  00 00 00 01  00 00 1f 88  00 00 27 0f  00 00 27 0f
    `),
  },
  {
    name: 'Unregister',
    pdu: { type: 'Unregister', sessionId: 7, transactionId: 6, packetId: 6, priority: 127, subtree: PLAYPEN, rangeSubid: 0 },
    bytes: hex(`
      01 04 10 00  00 00 00 07  00 00 00 06  00 00 00 06  00 00 00 18
      00 7f 00 00   # reserved, u.priority 127, u.range_subid 0
      04 04 00 00  00 00 00 01  00 00 1f 88  00 00 27 0f  00 00 27 0f
    `),
  },
  {
    name: 'Get',
    pdu: { type: 'Get', sessionId: 7, transactionId: 10, packetId: 11, ranges: [{ start: [...PLAYPEN, 1, 1, 0], include: false, end: [] }] },
    bytes: hex(`
      01 05 10 00  00 00 00 07  00 00 00 0a  00 00 00 0b  00 00 00 24
      07 04 00 00   # start: n_subid 7, prefix 4, include 0
      00 00 00 01  00 00 1f 88  00 00 27 0f  00 00 27 0f  00 00 00 01  00 00 00 01  00 00 00 00
      00 00 00 00   # end: the null OID
    `),
  },
  {
    name: 'GetNext',
    pdu: { type: 'GetNext', sessionId: 7, transactionId: 12, packetId: 13, ranges: [{ start: [...PLAYPEN, 1], include: true, end: [...PLAYPEN, 2] }] },
    bytes: hex(`
      01 06 10 00  00 00 00 07  00 00 00 0c  00 00 00 0d  00 00 00 30
      05 04 01 00   # start: n_subid 5, prefix 4, include 1
      00 00 00 01  00 00 1f 88  00 00 27 0f  00 00 27 0f  00 00 00 01
      05 04 00 00   # end
      00 00 00 01  00 00 1f 88  00 00 27 0f  00 00 27 0f  00 00 00 02
    `),
  },
  {
    name: 'GetBulk',
    pdu: {
      type: 'GetBulk',
      sessionId: 7,
      transactionId: 14,
      packetId: 15,
      nonRepeaters: 1,
      maxRepetitions: 10,
      ranges: [
        { start: [1, 3, 6, 1, 2, 1, 1], include: false, end: [] },
        { start: PLAYPEN, include: false, end: [] },
      ],
    },
    bytes: hex(`
      01 07 10 00  00 00 00 07  00 00 00 0e  00 00 00 0f  00 00 00 2c
      00 01 00 0a   # g.non_repeaters 1, g.max_repetitions 10
      02 02 00 00  00 00 00 01  00 00 00 01   # 1.3.6.1.2.1.1
      00 00 00 00
      04 04 00 00  00 00 00 01  00 00 1f 88  00 00 27 0f  00 00 27 0f
      00 00 00 00
    `),
  },
  {
    name: 'TestSet',
    pdu: { type: 'TestSet', sessionId: 7, transactionId: 16, packetId: 17, varbinds: [{ oid: [...PLAYPEN, 1, 1, 0], value: snmp.integer(5) }] },
    bytes: hex(`
      01 08 10 00  00 00 00 07  00 00 00 10  00 00 00 11  00 00 00 28
      00 02 00 00   # v.type Integer
      07 04 00 00  00 00 00 01  00 00 1f 88  00 00 27 0f  00 00 27 0f  00 00 00 01  00 00 00 01  00 00 00 00
      00 00 00 05
    `),
  },
  { name: 'CommitSet', pdu: { type: 'CommitSet', sessionId: 7, transactionId: 16, packetId: 18 }, bytes: hex('01 09 10 00  00 00 00 07  00 00 00 10  00 00 00 12  00 00 00 00') },
  { name: 'UndoSet', pdu: { type: 'UndoSet', sessionId: 7, transactionId: 16, packetId: 19 }, bytes: hex('01 0a 10 00  00 00 00 07  00 00 00 10  00 00 00 13  00 00 00 00') },
  { name: 'CleanupSet', pdu: { type: 'CleanupSet', sessionId: 7, transactionId: 16, packetId: 20 }, bytes: hex('01 0b 10 00  00 00 00 07  00 00 00 10  00 00 00 14  00 00 00 00') },
  {
    name: 'Notify',
    pdu: {
      type: 'Notify',
      sessionId: 7,
      transactionId: 21,
      packetId: 21,
      varbinds: [
        { oid: [1, 3, 6, 1, 2, 1, 1, 3, 0], value: snmp.timeTicks(100) },
        { oid: [1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0], value: snmp.oid([...PLAYPEN, 0, 1]) },
      ],
    },
    bytes: hex(`
      01 0c 10 00  00 00 00 07  00 00 00 15  00 00 00 15  00 00 00 58
      00 43 00 00   # TimeTicks
      04 02 00 00  00 00 00 01  00 00 00 01  00 00 00 03  00 00 00 00   # sysUpTime.0
      00 00 00 64   # 100
      00 06 00 00   # OBJECT IDENTIFIER
      06 06 00 00  00 00 00 03  00 00 00 01  00 00 00 01  00 00 00 04  00 00 00 01  00 00 00 00   # snmpTrapOID.0
      06 04 00 00  00 00 00 01  00 00 1f 88  00 00 27 0f  00 00 27 0f  00 00 00 00  00 00 00 01   # value
    `),
  },
  { name: 'Ping', pdu: { type: 'Ping', sessionId: 7, transactionId: 22, packetId: 22 }, bytes: hex('01 0d 10 00  00 00 00 07  00 00 00 16  00 00 00 16  00 00 00 00') },
  {
    name: 'IndexAllocate',
    pdu: { type: 'IndexAllocate', sessionId: 7, transactionId: 23, packetId: 23, newIndex: true, anyIndex: false, varbinds: [{ oid: [1, 3, 6, 1, 2, 1, 2, 2, 1, 1], value: snmp.integer(1) }] },
    bytes: hex(`
      01 0e 12 00   # flags: NEW_INDEX | NETWORK_BYTE_ORDER
      00 00 00 07  00 00 00 17  00 00 00 17  00 00 00 20
      00 02 00 00  05 02 00 00  00 00 00 01  00 00 00 02  00 00 00 02  00 00 00 01  00 00 00 01
      00 00 00 01
    `),
  },
  {
    name: 'IndexDeallocate',
    pdu: { type: 'IndexDeallocate', sessionId: 7, transactionId: 24, packetId: 24, varbinds: [{ oid: [1, 3, 6, 1, 2, 1, 2, 2, 1, 1], value: snmp.integer(1) }] },
    bytes: hex(`
      01 0f 10 00  00 00 00 07  00 00 00 18  00 00 00 18  00 00 00 20
      00 02 00 00  05 02 00 00  00 00 00 01  00 00 00 02  00 00 00 02  00 00 00 01  00 00 00 01
      00 00 00 01
    `),
  },
  {
    name: 'AddAgentCaps',
    pdu: { type: 'AddAgentCaps', sessionId: 7, transactionId: 25, packetId: 25, id: [1, 3, 6, 1, 4, 1, 8072, 9999], description: te.encode('caps') },
    bytes: hex(`
      01 10 10 00  00 00 00 07  00 00 00 19  00 00 00 19  00 00 00 18
      03 04 00 00  00 00 00 01  00 00 1f 88  00 00 27 0f   # a.id
      00 00 00 04  63 61 70 73                             # a.descr "caps"
    `),
  },
  {
    name: 'RemoveAgentCaps',
    pdu: { type: 'RemoveAgentCaps', sessionId: 7, transactionId: 26, packetId: 26, id: [1, 3, 6, 1, 4, 1, 8072, 9999] },
    bytes: hex(`
      01 11 10 00  00 00 00 07  00 00 00 1a  00 00 00 1a  00 00 00 10
      03 04 00 00  00 00 00 01  00 00 1f 88  00 00 27 0f
    `),
  },
  {
    name: 'Response (every value type)',
    pdu: {
      type: 'Response',
      sessionId: 7,
      transactionId: 10,
      packetId: 11,
      sysUpTime: 0x01020304,
      error: 0,
      index: 0,
      varbinds: [
        { oid: [...PLAYPEN, 1], value: snmp.integer(-1) },
        { oid: [...PLAYPEN, 2], value: snmp.octetString(Uint8Array.from([0x00, 0xff, 0x41])) },
        { oid: [...PLAYPEN, 3], value: snmp.null() },
        { oid: [...PLAYPEN, 4], value: snmp.oid([1, 3, 6, 1, 2, 1, 1, 3, 0]) },
        { oid: [...PLAYPEN, 5], value: snmp.ipAddress(Uint8Array.from([192, 0, 2, 1])) },
        { oid: [...PLAYPEN, 6], value: snmp.counter32(0xffffffff) },
        { oid: [...PLAYPEN, 7], value: snmp.gauge32(7) },
        { oid: [...PLAYPEN, 8], value: snmp.timeTicks(100) },
        { oid: [...PLAYPEN, 9], value: snmp.opaque(Uint8Array.from([1, 2, 3, 4, 5])) },
        { oid: [...PLAYPEN, 10], value: snmp.counter64(0x0102030405060708n) },
        { oid: [...PLAYPEN, 11], value: snmp.noSuchObject() },
        { oid: [...PLAYPEN, 12], value: snmp.noSuchInstance() },
        { oid: [...PLAYPEN, 13], value: snmp.endOfMibView() },
      ],
    },
    bytes: hex(`
      01 12 10 00  00 00 00 07  00 00 00 0a  00 00 00 0b  00 00 01 bc
      01 02 03 04   # res.sysUpTime
      00 00 00 00   # res.error 0, res.index 0
      00 02 00 00  05 04 00 00  00 00 00 01  00 00 1f 88  00 00 27 0f  00 00 27 0f  00 00 00 01
      ff ff ff ff   # Integer32 -1
      00 04 00 00  05 04 00 00  00 00 00 01  00 00 1f 88  00 00 27 0f  00 00 27 0f  00 00 00 02
      00 00 00 03  00 ff 41 00   # OCTET STRING 00 ff 41, padded
      00 05 00 00  05 04 00 00  00 00 00 01  00 00 1f 88  00 00 27 0f  00 00 27 0f  00 00 00 03
                    # Null: no data
      00 06 00 00  05 04 00 00  00 00 00 01  00 00 1f 88  00 00 27 0f  00 00 27 0f  00 00 00 04
      04 02 00 00  00 00 00 01  00 00 00 01  00 00 00 03  00 00 00 00   # OID sysUpTime.0
      00 40 00 00  05 04 00 00  00 00 00 01  00 00 1f 88  00 00 27 0f  00 00 27 0f  00 00 00 05
      00 00 00 04  c0 00 02 01   # IpAddress 192.0.2.1 as a 4-octet string
      00 41 00 00  05 04 00 00  00 00 00 01  00 00 1f 88  00 00 27 0f  00 00 27 0f  00 00 00 06
      ff ff ff ff   # Counter32
      00 42 00 00  05 04 00 00  00 00 00 01  00 00 1f 88  00 00 27 0f  00 00 27 0f  00 00 00 07
      00 00 00 07   # Gauge32
      00 43 00 00  05 04 00 00  00 00 00 01  00 00 1f 88  00 00 27 0f  00 00 27 0f  00 00 00 08
      00 00 00 64   # TimeTicks
      00 44 00 00  05 04 00 00  00 00 00 01  00 00 1f 88  00 00 27 0f  00 00 27 0f  00 00 00 09
      00 00 00 05  01 02 03 04  05 00 00 00   # Opaque, padded
      00 46 00 00  05 04 00 00  00 00 00 01  00 00 1f 88  00 00 27 0f  00 00 27 0f  00 00 00 0a
      01 02 03 04  05 06 07 08   # Counter64, most significant first
      00 80 00 00  05 04 00 00  00 00 00 01  00 00 1f 88  00 00 27 0f  00 00 27 0f  00 00 00 0b
      00 81 00 00  05 04 00 00  00 00 00 01  00 00 1f 88  00 00 27 0f  00 00 27 0f  00 00 00 0c
      00 82 00 00  05 04 00 00  00 00 00 01  00 00 1f 88  00 00 27 0f  00 00 27 0f  00 00 00 0d
    `),
  },
];

/** The Close vector as a little-endian peer sends it (NETWORK_BYTE_ORDER clear). */
export const closeLittleEndian = hex(`
  01 02 00 00  07 00 00 00  02 00 00 00  02 00 00 00  04 00 00 00
  05 00 00 00
`);

/** A Response carrying a Counter64, little-endian: least significant byte first, whole 64 bits. */
export const counter64LittleEndian = hex(`
  01 12 00 00  07 00 00 00  0a 00 00 00  0b 00 00 00  2c 00 00 00
  04 03 02 01   # res.sysUpTime 0x01020304
  05 00 02 00   # res.error genErr (5), res.index 2
  46 00 00 00   # v.type 70 Counter64
  05 04 00 00  01 00 00 00  88 1f 00 00  0f 27 00 00  0f 27 00 00  0a 00 00 00
  08 07 06 05  04 03 02 01
`);
