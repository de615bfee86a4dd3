import { isIP } from 'node:net';

/** A UDP endpoint in snmpd's transport syntax: `udp:127.0.0.1:1161`, `udp6:[::1]:1161`, `127.0.0.1:162`. */
export interface UdpAddress {
  readonly transport: 'udp4' | 'udp6';
  readonly host: string;
  readonly port: number;
}

export class UdpAddressError extends Error {
  constructor(readonly text: string, reason: string) {
    super(`invalid UDP address ${JSON.stringify(text)}: ${reason}`);
    this.name = 'UdpAddressError';
  }
}

/**
 * Parses an address; only IP literals (and `localhost`, read as 127.0.0.1)
 * are taken, so that what the agent binds to is exactly what was written.
 */
export function parseUdpAddress(text: string, defaultPort?: number): UdpAddress {
  let rest = text.trim();
  let family: 4 | 6 | undefined;
  const prefix = /^(udp6?|udpv6|udpipv6):/i.exec(rest);
  if (prefix) {
    family = prefix[1]!.toLowerCase() === 'udp' ? 4 : 6;
    rest = rest.slice(prefix[0].length);
  } else if (/^[a-z]+:/i.test(rest) && !/^[0-9a-f:]+$/i.test(rest) && !rest.startsWith('localhost:')) {
    throw new UdpAddressError(text, 'only udp: and udp6: transports are served');
  }
  let host: string;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
  if (bracketed) {
    host = bracketed[1]!;
    portText = bracketed[2];
  } else if (isIP(rest) === 6) {
    host = rest;
  } else {
    const colon = rest.lastIndexOf(':');
    host = colon < 0 ? rest : rest.slice(0, colon);
    portText = colon < 0 ? undefined : rest.slice(colon + 1);
  }
  if (host === 'localhost') host = family === 6 ? '::1' : '127.0.0.1';
  const ipFamily = isIP(host);
  if (ipFamily === 0) throw new UdpAddressError(text, `${JSON.stringify(host)} is not an IP address`);
  if (family !== undefined && family !== ipFamily) throw new UdpAddressError(text, `IPv${ipFamily} address with a udp${family === 6 ? '6' : ''}: prefix`);
  let port = defaultPort;
  if (portText !== undefined) {
    port = /^\d+$/.test(portText) ? Number(portText) : NaN;
  }
  if (port === undefined) throw new UdpAddressError(text, 'no port');
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UdpAddressError(text, 'port must be 1..65535');
  return { transport: ipFamily === 6 ? 'udp6' : 'udp4', host, port };
}

export function formatUdpAddress(a: UdpAddress): string {
  return a.transport === 'udp6' ? `udp6:[${a.host}]:${a.port}` : `udp:${a.host}:${a.port}`;
}

/** 127.0.0.0/8, ::1 and IPv4-mapped loopback: reachable from this host only. */
export function isLoopback(a: UdpAddress): boolean {
  const host = a.host.toLowerCase();
  if (a.transport === 'udp4') return host.startsWith('127.');
  return host === '::1' || host === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(host);
}
