import { defineRule } from './base';

/** Markers a real person's browser does not show. webdriver and a headless user agent are decisive; a software
 * renderer, no languages and no plugins on desktop Chrome are weaker (VMs, privacy settings) and add up. */
export const automationMarkers = defineRule({
  id: 'automation-markers',
  category: 'endpoint',
  weight: 8,
  evaluate: (ctx, { weight }) => {
    const m = ctx.device.automation;
    const markers: [boolean, string, number][] = [
      [m.webdriver, 'the browser reports it is driven by automation (navigator.webdriver)', 1],
      [m.headlessUserAgent, 'the user agent names a headless browser', 1],
      [m.softwareRenderer, 'graphics are rendered in software (SwiftShader/llvmpipe)', 0.5],
      [m.noLanguages, 'the browser reports no languages', 0.35],
      [m.noPluginsOnDesktopChrome, 'desktop Chrome reports no plugins', 0.25],
    ];
    const present = markers.filter(([on]) => on);
    const found = present.map(([, text]) => text);
    const share = present.reduce((n, [, , s]) => n + s, 0);
    if (found.length === 0) return null;
    const decisive = m.webdriver || m.headlessUserAgent;
    return {
      points: Math.min(weight, weight * share),
      ...(decisive ? { floor: 'high' as const } : {}),
      explanation: `Automation markers: ${found.join('; ')}.`,
    };
  },
});
