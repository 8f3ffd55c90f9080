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
    const svg = barChart({
      id: 'c',
      title: 'Categories',
      desc: 'Per category',
      data: [
        { label: 'a', value: 5 },
        { label: 'b', value: 10 },
      ],
    });
    expect(svg).toMatch(/^<svg[^>]* role="img" aria-labelledby="c-title c-desc"/);
    expect(svg).toContain('<title id="c-title">Categories</title>');
    const bars = [
      ...svg.matchAll(/<rect class="bar" data-label="(\w)" data-value="(\d+)"[^>]* height="([\d.]+)"/g),
    ];
    expect(bars.map((b) => [b[1], b[2]])).toEqual([
      ['a', '5'],
      ['b', '10'],
    ]);
    expect(Number(bars[1]![3])).toBeCloseTo(2 * Number(bars[0]![3]), 5);
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
    expect(line.match(/class="point"/g)).toHaveLength(3);
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
    expect(stack.match(/class="segment"/g)).toHaveLength(2);
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
    expect(html.match(/<svg/g)).toHaveLength(4);
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
