import { MasterAddressError } from './errors.js';

export type MasterAddress =
  | { readonly kind: 'unix'; readonly path: string }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number };

/** snmpd's own default for agentXSocket. */
export const DEFAULT_MASTER_ADDRESS = '/var/agentx/master';
/** RFC 2741 8.1: the well-known TCP port. */
export const AGENTX_TCP_PORT = 705;

/**
 * Parses an address in the syntax of snmpd.conf's `agentXSocket`: a bare path,
 * `unix:PATH`, `tcp:HOST:PORT`, `tcp6:[HOST]:PORT`, `HOST:PORT`, or a bare port
 * (TCP on localhost). A host without a port gets 705.
 */
export function parseMasterAddress(text: string = DEFAULT_MASTER_ADDRESS): MasterAddress {
  const spec = text.trim();
  if (spec === '') throw new MasterAddressError(text, 'empty');
  if (spec.startsWith('/')) return { kind: 'unix', path: spec };
  const colon = spec.indexOf(':');
  const scheme = colon > 0 ? spec.slice(0, colon).toLowerCase() : '';
  if (scheme === 'unix') {
    const path = spec.slice(colon + 1);
    if (path === '') throw new MasterAddressError(text, 'unix: needs a path');
    return { kind: 'unix', path };
  }
  if (scheme === 'tcp' || scheme === 'tcp6') return parseHostPort(text, spec.slice(colon + 1));
  if (scheme === 'udp' || scheme === 'udp6') throw new MasterAddressError(text, 'AgentX runs over stream transports only (unix or tcp)');
  return parseHostPort(text, spec);
}

function parseHostPort(text: string, rest: string): MasterAddress {
  let host: string;
  let portText: string | undefined;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) throw new MasterAddressError(text, 'unclosed [');
    host = rest.slice(1, close);
    const after = rest.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) throw new MasterAddressError(text, `unexpected "${after}" after ]`);
    portText = after === '' ? undefined : after.slice(1);
  } else if (/^\d+$/.test(rest)) {
    host = 'localhost';
    portText = rest;
  } else {
    const last = rest.lastIndexOf(':');
    if (last >= 0 && rest.indexOf(':') !== last) throw new MasterAddressError(text, 'an IPv6 address needs [brackets]');
    host = last >= 0 ? rest.slice(0, last) : rest;
    portText = last >= 0 ? rest.slice(last + 1) : undefined;
  }
  if (host === '') throw new MasterAddressError(text, 'empty host');
  const port = portText === undefined ? AGENTX_TCP_PORT : Number(portText);
  if (portText !== undefined && !/^\d+$/.test(portText)) throw new MasterAddressError(text, `"${portText}" is not a port`);
  if (port < 1 || port > 65535) throw new MasterAddressError(text, `port ${port} out of range`);
  return { kind: 'tcp', host, port };
}

export function formatMasterAddress(a: MasterAddress): string {
  return a.kind === 'unix' ? `unix:${a.path}` : `tcp:${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`;
}
