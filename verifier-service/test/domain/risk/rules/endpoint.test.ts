import { automationMarkers } from '../../../../src/domain/risk/rules/automation-markers';
import { clientHintsMismatch } from '../../../../src/domain/risk/rules/client-hints-mismatch';
import { collectorMissing } from '../../../../src/domain/risk/rules/collector-missing';
import { instantStart } from '../../../../src/domain/risk/rules/instant-start';
import { languageInconsistent } from '../../../../src/domain/risk/rules/language-inconsistent';
import { screenTouchInconsistent } from '../../../../src/domain/risk/rules/screen-touch-inconsistent';
import { timezoneInconsistent } from '../../../../src/domain/risk/rules/timezone-inconsistent';
import { run } from '../fixtures';

describe('endpoint rules', () => {
  describe('collector-missing: a client that sent no browser signals is not clean', () => {
    it('fires, as missing data, when the collector did not run', () => {
      expect(run(collectorMissing, { device: { collected: false } })).toMatchObject({
        points: 2,
        missingData: true,
      });
    });
    it('does not fire when it ran', () => {
      expect(run(collectorMissing)).toBeNull();
    });
  });

  describe('automation-markers: a bot or headless browser answering the challenge', () => {
    it('is decisive for navigator.webdriver', () => {
      const v = run(automationMarkers, { device: { automation: { webdriver: true } } });
      expect(v).toMatchObject({ floor: 'high', points: 8 });
      expect(v!.explanation).toMatch(/webdriver/);
    });
    it('is decisive for a HeadlessChrome user agent', () => {
      expect(run(automationMarkers, { device: { automation: { headlessUserAgent: true } } })).toMatchObject({
        floor: 'high',
      });
    });
    it('counts a software renderer (SwiftShader) strongly but not decisively', () => {
      const v = run(automationMarkers, { device: { automation: { softwareRenderer: true } } });
      expect(v!.points).toBe(4);
      expect(v!.floor).toBeUndefined();
    });
    it('adds up the weaker markers: no languages, no plugins on desktop Chrome', () => {
      const v = run(automationMarkers, {
        device: { automation: { noLanguages: true, noPluginsOnDesktopChrome: true } },
      });
      expect(v!.points).toBeCloseTo(4.8);
      expect(v!.explanation).toMatch(/no languages.*no plugins/);
    });
    it('does not fire on a real browser', () => {
      expect(run(automationMarkers)).toBeNull();
    });
  });

  describe('client-hints-mismatch: a spoofed user agent', () => {
    it('fires with the disagreement in its explanation', () => {
      const v = run(clientHintsMismatch, {
        device: {
          clientHintsMismatches: ['the user agent claims a mobile device, the client hints say desktop'],
        },
      });
      expect(v).toMatchObject({ points: 4 });
      expect(v!.explanation).toMatch(/mobile device/);
    });
    it('does not fire when they agree', () => {
      expect(run(clientHintsMismatch)).toBeNull();
    });
  });

  describe('timezone-inconsistent: an overseas attacker on a local proxy', () => {
    it('fires when the time zone fits neither the IP country nor the location', () => {
      const v = run(timezoneInconsistent, {
        device: { timeZone: 'Asia/Shanghai', timeZoneCountries: ['CN'] },
      });
      expect(v).toMatchObject({ points: 2 });
      expect(v!.explanation).toContain('Asia/Shanghai');
    });
    it('does not fire for a traveller whose device keeps the home zone, or switched to the local one', () => {
      expect(run(timezoneInconsistent, { network: { country: 'ES' } })).toBeNull();
      expect(
        run(timezoneInconsistent, {
          network: { country: 'ES' },
          device: { timeZone: 'Europe/Madrid', timeZoneCountries: ['ES'] },
        }),
      ).toBeNull();
    });
    it('does not fire when the zone says nothing (UTC) or is unknown', () => {
      expect(run(timezoneInconsistent, { device: { timeZone: 'UTC', timeZoneCountries: null } })).toBeNull();
      expect(run(timezoneInconsistent, { device: { timeZone: null, timeZoneCountries: null } })).toBeNull();
    });
  });

  describe('language-inconsistent: browser languages from elsewhere', () => {
    it('fires when no language fits the IP country or the location', () => {
      expect(run(languageInconsistent, { device: { languages: ['zh-CN', 'zh'] } })).toMatchObject({
        points: 1,
      });
    });
    it('does not fire for English, the local language, or a region that matches', () => {
      expect(run(languageInconsistent)).toBeNull();
      expect(
        run(languageInconsistent, {
          network: { country: 'DE', requesterLocationCountry: 'DE' },
          device: { languages: ['de'] },
        }),
      ).toBeNull();
      expect(
        run(languageInconsistent, {
          network: { country: 'CH', requesterLocationCountry: 'CH' },
          device: { languages: ['fr-CH'] },
        }),
      ).toBeNull();
    });
    it('leaves no languages to the automation markers', () => {
      expect(run(languageInconsistent, { device: { languages: [] } })).toBeNull();
    });
  });

  describe('screen-touch-inconsistent: an emulated device', () => {
    it('fires with the issues found', () => {
      const v = run(screenTouchInconsistent, { device: { screenTouchIssues: ['the screen is 0×0'] } });
      expect(v).toMatchObject({ points: 2 });
      expect(v!.explanation).toContain('0×0');
    });
    it('does not fire when screen and touch fit', () => {
      expect(run(screenTouchInconsistent)).toBeNull();
    });
  });

  describe('instant-start: a script pressing Start the moment the page opens', () => {
    it('fires below human reading speed', () => {
      const v = run(instantStart, { behaviour: { openToStartMs: 120 } });
      expect(v).toMatchObject({ points: 2 });
      expect(v!.explanation).toContain('120 ms');
    });
    it('does not fire at a human pace, or when unknown', () => {
      expect(run(instantStart)).toBeNull();
      expect(run(instantStart, { behaviour: { openToStartMs: null } })).toBeNull();
    });
  });
});
