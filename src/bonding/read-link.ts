/** The generic attributes every interface has under /sys/class/net/<if>/. */
import { isGone, readAttributeText } from './file-access.js';
import { parseFileText, readAttribute, type WarningSink } from './attribute-reader.js';
import { parseCount, parseFlag, parseMac, parseSpeed, parseString } from './values.js';
import type { LinkAttributes } from './types.js';

export interface LinkRead {
  readonly link: LinkAttributes;
  /** The interface's directory is gone: it vanished while being read. */
  readonly gone: boolean;
}

/** Speed and duplex another source already gave (a slave's procfs block); sysfs is asked for the rest. */
export type KnownLink = Partial<Pick<LinkAttributes, 'speedMbps' | 'duplex'>>;

export function readLink(netDir: string, name: string, sink: WarningSink, known: KnownLink = {}): LinkRead {
  const dir = `${netDir}/${name}`;
  const ifindexFile = `${dir}/ifindex`;
  const ifindex = readAttributeText(ifindexFile);
  let ifIndex: number | undefined;
  if ('text' in ifindex) ifIndex = parseFileText(ifindexFile, ifindex.text, parseCount, sink);
  else sink.failure(ifindexFile, ifindex);
  const link: LinkAttributes = {
    name,
    ifIndex,
    operState: readAttribute(`${dir}/operstate`, parseString, sink),
    carrier: readAttribute(`${dir}/carrier`, parseFlag, sink),
    speedMbps: known.speedMbps ?? readAttribute(`${dir}/speed`, parseSpeed, sink),
    duplex: known.duplex ?? readAttribute(`${dir}/duplex`, parseString, sink),
    address: readAttribute(`${dir}/address`, parseMac, sink),
    mtu: readAttribute(`${dir}/mtu`, parseCount, sink),
    ifAlias: readAttribute(`${dir}/ifalias`, parseString, sink),
  };
  return { link, gone: isGone(ifindex) };
}
