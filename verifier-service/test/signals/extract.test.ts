// From a request's real address and headers to a decision: the extraction feeding the engine on real data.
import { decide } from '../../src/domain/risk/engine';
import type { RiskContext } from '../../src/domain/risk/context';
import {
  deviceHeaders,
  extractSignals,
  openNetworkLookup,
  parseSignalsPayload,
  type NetworkLookup,
} from '../../src/signals';
import { genuine } from '../domain/risk/fixtures';
import { HEADLESS, chromeWinHeaders, chromeWinPayload } from './fixtures';

const browserPayload = chromeWinPayload;
const chromeHeaders = chromeWinHeaders();

let lookup: NetworkLookup;
beforeAll(async () => {
  lookup = await openNetworkLookup();
});

const withSignals = (s: ReturnType<typeof extractSignals>): RiskContext => ({ ...genuine(), ...s });

describe('signals → engine on real data', () => {
  it('an employee at home in the UK on Chrome: Verified', () => {
    const s = extractSignals(lookup, {
      ip: '81.2.69.160',
      headers: chromeHeaders,
      payload: browserPayload(),
      requesterLocationCountry: 'GB',
      otherRequestersSameIp: 0,
    });
    expect(s.network).toMatchObject({ status: 'ok', country: 'GB', hosting: false });
    expect(decide(withSignals(s))).toMatchObject({ riskLevel: 'verified', outcome: 'passed' });
  });

  it('the same employee travelling in Spain on a residential line: still Verified', () => {
    const s = extractSignals(lookup, {
      ip: '80.58.61.250',
      headers: chromeHeaders,
      payload: browserPayload({ timeZone: 'Europe/Madrid' }),
      requesterLocationCountry: 'GB',
      otherRequestersSameIp: 0,
    });
    expect(s.network).toMatchObject({ country: 'ES', asn: 3352 });
    expect(decide(withSignals(s))).toMatchObject({ riskLevel: 'verified', outcome: 'passed' });
  });

  it('a headless browser on a cloud server answering right: High', () => {
    const s = extractSignals(lookup, {
      ip: '52.95.110.1',
      headers: deviceHeaders({ 'user-agent': HEADLESS }),
      payload: browserPayload({
        userAgent: HEADLESS,
        webdriver: true,
        languages: [],
        pluginsCount: 0,
        webglRenderer: 'Google SwiftShader',
        userAgentData: null,
        timeZone: 'UTC',
      }),
      requesterLocationCountry: 'GB',
      otherRequestersSameIp: 3,
    });
    expect(s.network).toMatchObject({ asn: 16509, hosting: true });
    const d = decide(withSignals(s));
    expect(d).toMatchObject({ riskLevel: 'high', outcome: 'failed' });
    expect(d.categories.network.signals.map((x) => x.id)).toEqual(
      expect.arrayContaining(['hosting-ip', 'ip-country-mismatch', 'shared-ip']),
    );
  });

  it('someone on Tor with a forged body: not Verified (the invalid payload counts as no collector)', () => {
    const payload = parseSignalsPayload({ ...browserPayload(), injected: '<script>' });
    expect(payload).toBeNull();
    const s = extractSignals(lookup, {
      ip: '185.220.101.1',
      headers: chromeHeaders,
      payload,
      requesterLocationCountry: 'GB',
      otherRequestersSameIp: 0,
    });
    const d = decide(withSignals(s));
    expect(d.riskLevel).not.toBe('verified');
    expect(d.missingData).toContain('collector-missing');
  });
});
