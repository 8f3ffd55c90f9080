import { Value } from '@sinclair/typebox/value';
import { SignalsPayloadSchema, type SignalsPayload } from '../src';

const valid: SignalsPayload = {
  v: 1,
  userAgent:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
  webdriver: false,
  languages: ['en-GB', 'en'],
  timeZone: 'Europe/London',
  screen: { w: 1920, h: 1080, dpr: 1.25 },
  maxTouchPoints: 0,
  pluginsCount: 5,
  webglRenderer: null,
  userAgentData: { brands: [{ brand: 'Chromium', version: '130' }], mobile: false, platform: 'Windows' },
  hardwareConcurrency: 8,
  timings: { sinceNavigationMs: 800, domInteractiveMs: null, collectMs: 3 },
};

describe('the collector payload schema (S22: bounded input)', () => {
  it('accepts what a browser sends', () => {
    expect(Value.Check(SignalsPayloadSchema, valid)).toBe(true);
    expect(Value.Check(SignalsPayloadSchema, { ...valid, userAgentData: null, timeZone: null })).toBe(true);
  });

  it.each([
    ['an unknown field', { ...valid, extra: 1 }],
    ['a huge user agent', { ...valid, userAgent: 'x'.repeat(513) }],
    ['too many languages', { ...valid, languages: Array(21).fill('en') }],
    ['a language with odd characters', { ...valid, languages: ['en<script>'] }],
    ['a time zone with a control character', { ...valid, timeZone: 'Europe/London\n' }],
    ['a negative screen', { ...valid, screen: { w: -1, h: 10, dpr: 1 } }],
    [
      'too many brands',
      {
        ...valid,
        userAgentData: { ...valid.userAgentData!, brands: Array(11).fill({ brand: 'a', version: '1' }) },
      },
    ],
    ['a long renderer', { ...valid, webglRenderer: 'r'.repeat(257) }],
    ['a wrong version', { ...valid, v: 2 }],
  ])('refuses %s', (_name, body) => {
    expect(Value.Check(SignalsPayloadSchema, body)).toBe(false);
  });
});
