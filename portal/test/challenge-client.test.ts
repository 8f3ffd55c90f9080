// The requester scripts' pure parts (src/client/challenge.ts): what Start posts as signals, the countdown's words,
// the polling delays, and that the wait page only ever moves on to the same origin.
import { Value } from '@sinclair/typebox/value';
import { SignalsPayloadSchema } from '@imper/shared';
import { countdownText, pollDelay, safeNext, signalsValue } from '../src/client/challenge';

describe('signals field', () => {
  it('is the collector payload as JSON', () => {
    const payload = {
      v: 1,
      userAgent: 'UA',
      webdriver: false,
      languages: ['en'],
      timeZone: 'Europe/Paris',
      screen: { w: 390, h: 844, dpr: 3 },
      maxTouchPoints: 5,
      pluginsCount: 0,
      webglRenderer: null,
      userAgentData: null,
      hardwareConcurrency: 6,
      timings: { sinceNavigationMs: 900, domInteractiveMs: 300, collectMs: 1 },
    };
    const value = signalsValue(() => payload);
    expect(Value.Check(SignalsPayloadSchema, JSON.parse(value))).toBe(true);
    expect(JSON.parse(value)).toEqual(payload);
  });

  it('stays empty when collecting throws', () => {
    expect(
      signalsValue(() => {
        throw new Error('blocked');
      }),
    ).toBe('');
  });
});

describe('question countdown', () => {
  it('rounds the seconds left up to 5 and says when the time is up (it never submits)', () => {
    expect(countdownText('About {seconds} seconds left.', 'Up.', 44.2)).toBe('About 45 seconds left.');
    expect(countdownText('About {seconds} seconds left.', 'Up.', 1)).toBe('About 5 seconds left.');
    expect(countdownText('About {seconds} seconds left.', 'Up.', 0)).toBe('Up.');
    expect(countdownText('About {seconds} seconds left.', 'Up.', -3)).toBe('Up.');
  });
});

describe('waiting for the manager', () => {
  it('polls every 5 s, backing off to at most a minute after failures', () => {
    expect([0, 1, 2, 3, 4, 10].map(pollDelay)).toEqual([5000, 10000, 20000, 40000, 60000, 60000]);
  });

  it('moves on only to an address on the same origin', () => {
    const base = 'https://verify.example.com/v/wait';
    expect(safeNext('/v/result', base)).toBe('https://verify.example.com/v/result');
    expect(safeNext('https://verify.example.com/v/challenge', base)).toBe(
      'https://verify.example.com/v/challenge',
    );
    expect(safeNext('//evil.example/x', base)).toBeNull();
    expect(safeNext('https://evil.example/x', base)).toBeNull();
    expect(safeNext('javascript:alert(1)', base)).toBeNull();
    expect(safeNext(undefined, base)).toBeNull();
    expect(safeNext(42, base)).toBeNull();
  });
});
