import { lookup as dnsLookup } from 'node:dns';
import { lookup as dnsLookupAsync } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config';
import { A2aError } from '../a2a-error';

/** Raised when a webhook would reach an address the gateway may not call. */
export class PushTargetRefused extends Error {
  readonly code = 'EPUSHTARGET';
}

// Addresses a webhook must not reach by default: the gateway's own host, its private networks
// and cloud metadata endpoints (link-local) are not a client's to call (SSRF).
const FORBIDDEN = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const)
  FORBIDDEN.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  FORBIDDEN.addSubnet(net, prefix, 'ipv6');

function family(address: string): 'ipv4' | 'ipv6' {
  return isIP(address) === 6 ? 'ipv6' : 'ipv4';
}

/**
 * Which webhook URLs the gateway may call: http(s) only, and never a loopback, private or
 * link-local address unless A2A_PUSH_ALLOWED_HOSTS lists the host, the address or its range.
 * Checked when a config is registered (so the client learns at once) and again at every
 * connection, on the addresses actually connected to, so DNS cannot be re-pointed afterwards.
 */
@Injectable()
export class PushTargetPolicy {
  private readonly allowedHosts = new Set<string>();
  private readonly allowedAddresses = new BlockList();

  constructor(config: AppConfig) {
    for (const entry of config.A2A_PUSH_ALLOWED_HOSTS.split(',').map((s) => s.trim())) {
      if (!entry) continue;
      const [address, prefix] = entry.split('/');
      if (isIP(address) && prefix !== undefined)
        this.allowedAddresses.addSubnet(address, Number(prefix), family(address));
      else if (isIP(address)) this.allowedAddresses.addAddress(address, family(address));
      else this.allowedHosts.add(entry.toLowerCase());
    }
  }

  /** Throws InvalidParams naming the reason when a client registers a URL it may not use. */
  async check(url: string): Promise<void> {
    const target = URL.canParse(url) ? new URL(url) : undefined;
    if (!target) throw new A2aError('INVALID_PARAMS', 'url: not a URL');
    if (target.protocol !== 'http:' && target.protocol !== 'https:')
      throw new A2aError('INVALID_PARAMS', 'url: push notifications are sent over http(s) only');
    const host = hostOf(target);
    let addresses: string[];
    try {
      addresses = isIP(host)
        ? [host]
        : (await dnsLookupAsync(host, { all: true })).map((a) => a.address);
    } catch {
      throw new A2aError('INVALID_PARAMS', `url: the host ${host} cannot be resolved`);
    }
    const refusal = this.refusal(host, addresses);
    if (refusal) throw new A2aError('INVALID_PARAMS', `url: ${refusal}`);
  }

  /** Why a host that resolved to these addresses may not be called; undefined if it may. */
  refusal(host: string, addresses: readonly string[]): string | undefined {
    if (this.allowedHosts.has(host.toLowerCase())) return undefined;
    const forbidden = addresses.find(
      (a) => FORBIDDEN.check(a, family(a)) && !this.allowedAddresses.check(a, family(a)),
    );
    return forbidden
      ? `${host} is (or resolves to) ${forbidden}, a loopback or private address that push notifications may not target`
      : undefined;
  }

  /** A `lookup` for outgoing sockets that refuses forbidden addresses at connect time. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      const refusal = this.refusal(
        hostname,
        addresses.map((a) => a.address),
      );
      if (refusal) return callback(new PushTargetRefused(refusal), '');
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/** The host of a URL without the brackets of an IPv6 literal. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}
