import {
  evaluateCondition,
  parseEncodedQuery,
  resolveDynamicValue,
  runQuery,
  type Resolver,
} from '../src/query';

type Row = Record<string, string>;
const TYPES: Record<string, 'string' | 'number' | 'boolean' | 'datetime'> = {
  name: 'string',
  n: 'number',
  vip: 'boolean',
  on: 'datetime',
  'caller.vip': 'boolean',
};
const resolve: Resolver<Row> = (r, f) =>
  f in TYPES ? { value: r[f] ?? '', type: TYPES[f] ?? 'string' } : undefined;
const rows: Row[] = [
  { id: 'a', name: 'Alpha', n: '10', vip: 'true', on: '2024-01-05 10:00:00', 'caller.vip': 'true' },
  { id: 'b', name: 'beta', n: '2', vip: 'false', on: '2024-02-01 00:00:00', 'caller.vip': 'false' },
  { id: 'c', name: '', n: '30', vip: 'false', on: '2024-03-01 12:00:00', 'caller.vip': 'false' },
  { id: 'd', name: 'Gamma ray', n: '2', vip: 'true', on: '', 'caller.vip': 'true' },
];
const ids = (q: string, now?: number): string =>
  runQuery(rows, q, resolve, now)
    .map((r) => r.id)
    .join('');

describe('encoded query parser', () => {
  it('splits ^ (AND), ^OR (binds to the previous condition) and ^NQ (new OR group)', () => {
    const p = parseEncodedQuery('a=1^b=2^ORc=3^NQd!=4^ORDERBYDESCn');
    expect(p.groups).toEqual([
      [
        [{ field: 'a', op: '=', value: '1' }],
        [
          { field: 'b', op: '=', value: '2' },
          { field: 'c', op: '=', value: '3' },
        ],
      ],
      [[{ field: 'd', op: '!=', value: '4' }]],
    ]);
    expect(p.orderBy).toEqual([{ field: 'n', desc: true }]);
  });

  it('recognises every operator, longest first', () => {
    const ops = [
      '=',
      '!=',
      '>',
      '>=',
      '<',
      '<=',
      'LIKE',
      'NOTLIKE',
      'STARTSWITH',
      'ENDSWITH',
      'IN',
      'NOT IN',
      'BETWEEN',
    ];
    for (const op of ops) expect(parseEncodedQuery(`sys_id${op}x`).groups[0]?.[0]?.[0]?.op).toBe(op);
    expect(parseEncodedQuery('nameISEMPTY').groups[0]?.[0]?.[0]).toEqual({
      field: 'name',
      op: 'ISEMPTY',
      value: '',
    });
    expect(parseEncodedQuery('nameISNOTEMPTY').groups[0]?.[0]?.[0]?.op).toBe('ISNOTEMPTY');
    expect(parseEncodedQuery('caller_id.vip=true').groups[0]?.[0]?.[0]?.field).toBe('caller_id.vip');
  });

  it('keeps unparseable parts aside and ignores EQ and empty parts', () => {
    const p = parseEncodedQuery('garbage^^EQ^n=1^ORDERBY');
    expect(p.ignored).toEqual(['garbage', 'ORDERBY']);
    expect(p.groups).toHaveLength(1);
  });

  it('has no escape: values keep everything up to the next ^', () => {
    expect(parseEncodedQuery('name=a=b,c@d').groups[0]?.[0]?.[0]?.value).toBe('a=b,c@d');
  });
});

describe('encoded query evaluator', () => {
  it('= and != compare case-insensitively', () => {
    expect(ids('name=alpha')).toBe('a');
    expect(ids('name=BETA')).toBe('b');
    expect(ids('name!=alpha')).toBe('bcd');
  });
  it('numeric comparison for number columns (> >= < <=)', () => {
    expect(ids('n>2')).toBe('ac');
    expect(ids('n>=10')).toBe('ac');
    expect(ids('n<10')).toBe('bd');
    expect(ids('n<=2')).toBe('bd');
    expect(ids('n=2.0')).toBe('bd');
  });
  it('date comparison on YYYY-MM-DD HH:MM:SS strings; empty values never compare', () => {
    expect(ids('on>2024-02-01')).toBe('bc');
    expect(ids('on<2024-02-01 00:00:00')).toBe('a');
  });
  it('LIKE, NOTLIKE, STARTSWITH, ENDSWITH', () => {
    expect(ids('nameLIKEa')).toBe('abd');
    expect(ids('nameNOTLIKEray')).toBe('abc');
    expect(ids('nameSTARTSWITHgam')).toBe('d');
    expect(ids('nameENDSWITHA')).toBe('ab');
  });
  it('IN and NOT IN', () => {
    expect(ids('nameINalpha,beta')).toBe('ab');
    expect(ids('nameNOT INalpha,beta')).toBe('cd');
  });
  it('ISEMPTY and ISNOTEMPTY', () => {
    expect(ids('nameISEMPTY')).toBe('c');
    expect(ids('nameISNOTEMPTY')).toBe('abd');
  });
  it('BETWEEN a@b is inclusive', () => {
    expect(ids('nBETWEEN2@10')).toBe('abd');
    expect(ids('onBETWEEN2024-01-01@2024-02-01 00:00:00')).toBe('ab');
  });
  it('booleans accept true/false and 1/0', () => {
    expect(ids('vip=true')).toBe('ad');
    expect(ids('vip=1')).toBe('ad');
    expect(ids('vip=0')).toBe('bc');
  });
  it('^OR, ^ and ^NQ combine as (a AND (b OR c)) OR d', () => {
    expect(ids('vip=true^n=2^ORn=10')).toBe('ad');
    expect(ids('vip=true^n=10^NQname=beta')).toBe('ab');
  });
  it('dot-walked names are resolved by the resolver', () => {
    expect(ids('caller.vip=true')).toBe('ad');
  });
  it('ORDERBY / ORDERBYDESC, numeric for numbers, stable among equals, several keys', () => {
    expect(ids('ORDERBYn')).toBe('bdac');
    expect(ids('ORDERBYDESCn')).toBe('cabd');
    expect(ids('ORDERBYn^ORDERBYDESCname')).toBe('dbac');
    expect(ids('ORDERBYname')).toBe('cabd');
  });
  it('invalid parts are ignored: unknown fields and unparseable parts match everything', () => {
    expect(ids('bogus=1')).toBe('abcd');
    expect(ids('bogus=1^name=alpha')).toBe('a');
    expect(ids('%%%^name=beta')).toBe('b');
    expect(ids('name=alpha^ORbogus=1')).toBe('a');
  });
  it('javascript:gs.* date helpers resolve against the clock; unsupported scripts are ignored', () => {
    const now = Date.UTC(2024, 2, 1, 12, 0, 0);
    expect(resolveDynamicValue('javascript:gs.daysAgo(1)', now)).toBe('2024-02-29 12:00:00');
    expect(resolveDynamicValue('javascript:gs.daysAgoStart(0)', now)).toBe('2024-03-01 00:00:00');
    expect(resolveDynamicValue("javascript:gs.dateGenerate('2024-01-01','10:00:00')", now)).toBe(
      '2024-01-01 10:00:00',
    );
    expect(ids('on>javascript:gs.daysAgo(40)', now)).toBe('bc');
    expect(ids('on>javascript:evil()', now)).toBe('abcd');
  });
  it('a condition on an unknown field is undefined (ignored), not false', () => {
    expect(evaluateCondition(undefined, { field: 'x', op: '=', value: '1' }, 0)).toBeUndefined();
  });
});
