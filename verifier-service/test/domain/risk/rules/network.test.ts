import { hostingIp } from '../../../../src/domain/risk/rules/hosting-ip';
import { ipCountryMismatch } from '../../../../src/domain/risk/rules/ip-country-mismatch';
import { networkDataUnavailable } from '../../../../src/domain/risk/rules/network-data-unavailable';
import { sharedIp } from '../../../../src/domain/risk/rules/shared-ip';
import { torNetwork } from '../../../../src/domain/risk/rules/tor-network';
import { vpnIp } from '../../../../src/domain/risk/rules/vpn-ip';
import { policyWith, run } from '../fixtures';

describe('network rules', () => {
  describe('network-data-unavailable: missing network data is not read as clean', () => {
    it('fires, as missing data, when the lookup was unavailable', () => {
      const v = run(networkDataUnavailable, {
        network: { status: 'unavailable', country: null, asn: null, asnOrg: null },
      });
      expect(v).toMatchObject({ points: 2, missingData: true });
      expect(v!.explanation).toMatch(/unavailable/);
    });
    it('does not fire for a looked-up address', () => {
      expect(run(networkDataUnavailable)).toBeNull();
    });
    it('counts a private/loopback client address as missing data, unless the policy says requesters are internal', () => {
      const reserved = { network: { status: 'reserved', ip: '10.0.0.7', country: null } } as const;
      expect(run(networkDataUnavailable, reserved)).toMatchObject({ points: 2, missingData: true });
      expect(run(networkDataUnavailable, reserved)!.explanation).toContain('10.0.0.7');
      expect(run(networkDataUnavailable, reserved, policyWith({ reservedAddresses: 'internal' }))).toBeNull();
    });
  });

  describe('hosting-ip: an attacker driving the link from a cloud server', () => {
    it('fires for a hosting/data-centre ASN and names it', () => {
      const v = run(hostingIp, { network: { hosting: true, asn: 16509, asnOrg: 'Amazon.com, Inc.' } });
      expect(v).toMatchObject({ points: 3 });
      expect(v!.explanation).toContain('AS16509 Amazon.com, Inc.');
    });
    it('does not fire on a residential network', () => {
      expect(run(hostingIp)).toBeNull();
    });
  });

  describe('vpn-ip: an attacker hiding behind a commercial VPN', () => {
    it('fires for a VPN provider ASN', () => {
      expect(run(vpnIp, { network: { vpn: true, asn: 9009, asnOrg: 'M247 Europe SRL' } })).toMatchObject({
        points: 3,
      });
    });
    it('does not fire otherwise', () => {
      expect(run(vpnIp)).toBeNull();
    });
  });

  describe('tor-network: an attacker on Tor', () => {
    it('fires strongly and keeps the result from Verified', () => {
      expect(run(torNetwork, { network: { tor: true, asn: 60729 } })).toMatchObject({
        points: 6,
        floor: 'medium',
      });
    });
    it('does not fire otherwise', () => {
      expect(run(torNetwork)).toBeNull();
    });
  });

  describe('ip-country-mismatch: mild, so a traveller still passes', () => {
    it('fires with one point when the IP country differs from the location country', () => {
      const v = run(ipCountryMismatch, { network: { country: 'ES' } });
      expect(v).toMatchObject({ points: 1 });
      expect(v!.explanation).toContain('ES');
      expect(v!.floor).toBeUndefined();
    });
    it('does not fire at home, without a location on file, or without a country', () => {
      expect(run(ipCountryMismatch)).toBeNull();
      expect(
        run(ipCountryMismatch, { network: { country: 'ES', requesterLocationCountry: null } }),
      ).toBeNull();
      expect(run(ipCountryMismatch, { network: { status: 'reserved', country: null } })).toBeNull();
    });
  });

  describe('shared-ip: one address verifying a list of people', () => {
    it('grows with the number of other requesters, up to its weight', () => {
      expect(run(sharedIp, { network: { otherRequestersSameIp: 1 } })!.points).toBe(1);
      expect(run(sharedIp, { network: { otherRequestersSameIp: 2 } })!.points).toBe(2);
      expect(run(sharedIp, { network: { otherRequestersSameIp: 9 } })!.points).toBe(3);
    });
    it('does not fire when nobody else used the address', () => {
      expect(run(sharedIp)).toBeNull();
    });
  });
});
