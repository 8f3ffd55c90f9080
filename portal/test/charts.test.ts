// The dashboard's SVG charts and the tables behind them (F8): accessible names, one bar per datum at the right
// height, and the same numbers in a real table.
import {
  barChart,
  dashboardBody,
  dataTable,
  lineChart,
  niceMax,
  stackedBar,
  chainResult,
  translator,
} from '../src';
import type { DashboardData } from '../src';

describe('charts', () => {
  it('a bar chart is an image named by its title, one bar per datum scaled to a round maximum', () => {
    const box = barChart({
      id: 'c',
      title: 'Categories',
      desc: 'Per category',
      data: [
        { label: 'a', value: 5 },
        { label: 'b', value: 10 },
      ],
    });
    // Drawn twice: wide (id c) and for a phone (id c-narrow), each a named image; the stylesheet shows one.
    const [svg, narrow] = box.split('</svg>');
    expect(box).toMatch(
      /^<div class="chart-box"><svg class="chart chart-wide" id="c" role="img" aria-labelledby="c-title c-desc"/,
    );
    expect(svg!).toContain('<title id="c-title">Categories</title>');
    expect(narrow).toMatch(
      /<svg class="chart chart-narrow" id="c-narrow" role="img" aria-labelledby="c-narrow-title c-narrow-desc"/,
    );
    expect(narrow).toContain('<title id="c-narrow-title">Categories</title>');
    const bars = [
      ...svg!.matchAll(/<rect class="bar" data-label="(\w)" data-value="(\d+)"[^>]* height="([\d.]+)"/g),
    ];
    expect(bars.map((b) => [b[1], b[2]])).toEqual([
      ['a', '5'],
      ['b', '10'],
    ]);
    expect(Number(bars[1]![3])).toBeCloseTo(2 * Number(bars[0]![3]), 5);
    expect(narrow!.match(/class="bar"/g)).toHaveLength(2);
  });
  it('the phone drawing prints fewer x labels, so they stay apart at 375 px', () => {
    const days = Array.from({ length: 30 }, (_, i) => ({
      label: `11-${String(i + 1).padStart(2, '0')}`,
      value: i,
    }));
    const [wide, narrow] = lineChart({ id: 'v', title: 'Volume', desc: 'd', data: days }).split('</svg>');
    const labels = (svg: string) => (svg.match(/<text[^>]*>11-\d\d<\/text>/g) ?? []).length;
    expect(labels(wide!)).toBe(8);
    expect(labels(narrow!)).toBe(4);
  });
  it('escapes labels', () => {
    expect(barChart({ id: 'x', title: '<t>', desc: 'd', data: [{ label: '<b>', value: 1 }] })).not.toContain(
      '<b>',
    );
  });
  it('a line chart has a point per day; a stacked bar a segment per risk level', () => {
    const line = lineChart({
      id: 'l',
      title: 'Volume',
      desc: 'd',
      data: [1, 2, 3].map((v) => ({ label: `d${v}`, value: v })),
    });
    expect(line.match(/class="point"/g)).toHaveLength(6); // 3 in each drawing
    expect(line).toContain('<polyline');
    const stack = stackedBar({
      id: 's',
      title: 'Risk',
      desc: 'd',
      data: [
        { label: 'Verified', value: 3, color: '#000' },
        { label: 'High', value: 1, color: '#111' },
      ],
    });
    expect(stack.match(/class="segment"/g)).toHaveLength(4); // 2 in each drawing
    expect(stack).toContain('Verified: 3');
  });
  it('round maxima', () => {
    expect([0, 1, 3, 7, 12, 99, 101].map(niceMax)).toEqual([1, 1, 5, 10, 20, 100, 200]);
  });
  it('data tables have a caption and header cells', () => {
    const html = dataTable({
      summary: 'Numbers',
      caption: 'Cap',
      head: ['Day', 'N'],
      rows: [['2026-03-01', 4]],
    });
    expect(html).toContain('<caption>Cap</caption>');
    expect(html).toContain('<th scope="row">2026-03-01</th><td>4</td>');
  });
});

describe('dashboard body', () => {
  const d: DashboardData = {
    period: { from: '2026-03-01', to: '2026-03-02' },
    perDay: [
      { day: '2026-03-01', total: 3, passed: 2 },
      { day: '2026-03-02', total: 1, passed: 1 },
    ],
    outcomes: { total: 4, completed: 4, passed: 3 },
    passRate: 0.75,
    risk: { verified: 2, medium: 1, high: 1 },
    timeToComplete: { count: 4, medianSeconds: 210, p90Seconds: 510 },
    categories: [{ category: 'password_reset', count: 4 }],
    deliveryFailures: [{ channel: 'email', provider: 'sendgrid', errorCode: 'bounce', count: 2 }],
    deliveries: { total: 5, failed: 2 },
  };
  it('every chart has its table with the same numbers', () => {
    const html = dashboardBody(d);
    expect(html.match(/<svg class="chart chart-wide"/g)).toHaveLength(4);
    expect(html.match(/<svg class="chart chart-narrow"/g)).toHaveLength(4);
    expect(html.match(/<details class="chart-data">/g)).toHaveLength(4);
    expect(html).toContain('<th scope="row">2026-03-01</th><td>3</td><td>2</td>');
    expect(html).toContain('75.0 %');
    expect(html).toContain('3 min 30 s');
    expect(html).toContain('8 min 30 s');
    expect(html).toContain('<th scope="row">email · sendgrid · bounce</th><td>2</td>');
    expect(html).toMatch(/data-label="email · sendgrid · bounce" data-value="2"/);
  });
  it('French too', () => {
    expect(dashboardBody(d, 'fr')).toContain('Tableau de bord');
  });
});

describe('chain result', () => {
  const t = translator('en');
  it('intact / broken', () => {
    expect(chainResult(t, { intact: true, events: 12, problems: [], elsewhere: 0 })).toContain(
      'Chain intact: 12 events',
    );
    const broken = chainResult(t, {
      intact: false,
      events: 4,
      problems: [{ id: '17', position: 2, problem: 'hash_mismatch' }],
      elsewhere: 0,
    });
    expect(broken).toContain('#17, position 2 of 4');
    expect(broken).toContain('altered');
  });
});
