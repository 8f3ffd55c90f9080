// Signal extraction, run before scoring: the request's address, headers and the collector's payload become the
// network and device parts of the risk context. The lifecycle adds the rest (behaviour, request context,
// challenge, step-up) and calls the engine (src/domain/risk) on the result.
import { Value } from '@sinclair/typebox/value';
import { SignalsPayloadSchema, type SignalsPayload } from '@imper/shared';
import type { DeviceContext, NetworkContext } from '../domain/risk/context';
import { deviceContext, type DeviceHeaders } from './device';
import { networkContext, type NetworkLookup } from './network';

export * from './device';
export * from './network';
export { ASN_LISTS, type AsnListEntry, type AsnLists } from './asn-lists';

/** The collector's body when it is a valid payload, else null (the collector counts as not having run). */
export function parseSignalsPayload(body: unknown): SignalsPayload | null {
  return Value.Check(SignalsPayloadSchema, body) ? body : null;
}

export interface SignalInputs {
  /** The client address as the trusted proxy chain gives it (request.ip) */
  ip: string;
  headers: DeviceHeaders;
  /** The collector's payload, null when it did not run (or its body was invalid) */
  payload: SignalsPayload | null;
  requesterLocationCountry: string | null;
  otherRequestersSameIp: number;
}

export function extractSignals(
  lookup: NetworkLookup,
  i: SignalInputs,
): { network: NetworkContext; device: DeviceContext } {
  return {
    network: networkContext(lookup.lookup(i.ip), {
      requesterLocationCountry: i.requesterLocationCountry,
      otherRequestersSameIp: i.otherRequestersSameIp,
    }),
    device: deviceContext(i.headers, i.payload),
  };
}

/** Headers a Fastify request carries, as the device extraction reads them. */
export function deviceHeaders(h: Record<string, string | string[] | undefined>): DeviceHeaders {
  const one = (k: string) => {
    const v = h[k];
    return (Array.isArray(v) ? v[0] : v)?.slice(0, 1024);
  };
  return {
    userAgent: one('user-agent'),
    secChUa: one('sec-ch-ua'),
    secChUaMobile: one('sec-ch-ua-mobile'),
    secChUaPlatform: one('sec-ch-ua-platform'),
    acceptLanguage: one('accept-language'),
  };
}
