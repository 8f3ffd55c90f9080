import { encodedQuery } from '../../../src/clients/servicenow/client';

const SYS_ID = '0123456789abcdef0123456789abcdef';

test('joins conditions with ^ and supports the documented operators', () => {
  expect(
    encodedQuery(
      ['element_id', '=', SYS_ID],
      ['element', '=', 'work_notes'],
      ['value', 'LIKE', '[imper.ai VRF-7Q2K9M #3]'],
    ),
  ).toBe(`element_id=${SYS_ID}^element=work_notes^valueLIKE[imper.ai VRF-7Q2K9M #3]`);
  expect(
    encodedQuery(
      ['caller_id.vip', '=', 'true'],
      ['state', 'IN', ['1', '2', '3']],
      ['sys_created_on', 'BETWEEN', ['2025-01-01 00:00:00', '2025-02-01 00:00:00']],
      ['close_code', 'ISEMPTY'],
      {
        anyOf: [
          ['category', '=', 'password_reset'],
          ['category', '=', 'account_unlock'],
        ],
      },
      ['sys_id', '>', SYS_ID],
      { orderBy: 'sys_id' },
      { orderByDesc: 'sys_updated_on' },
    ),
  ).toBe(
    'caller_id.vip=true^stateIN1,2,3^sys_created_onBETWEEN2025-01-01 00:00:00@2025-02-01 00:00:00' +
      `^close_codeISEMPTY^category=password_reset^ORcategory=account_unlock^sys_id>${SYS_ID}` +
      '^ORDERBYsys_id^ORDERBYDESCsys_updated_on',
  );
});

test('a value containing ^ is refused, so user input cannot add conditions', () => {
  const input = 'nobody@example.com^ORactive=true';
  expect(() => encodedQuery(['email', '=', input])).toThrow(TypeError);
  expect(() => encodedQuery(['email', '=', 'x^NQactive=true'])).toThrow(/cannot be encoded/);
  // The refused value is not echoed (it is often personal data).
  expect(() => encodedQuery(['email', '=', input])).not.toThrow(/nobody@example.com/);
});

test('list and range separators are refused inside their values', () => {
  expect(() => encodedQuery(['user_name', 'IN', ['a', 'b,c']])).toThrow(TypeError);
  expect(() => encodedQuery(['user_name', 'IN', []])).toThrow(TypeError);
  expect(() => encodedQuery(['sys_created_on', 'BETWEEN', ['a@b', 'c']])).toThrow(TypeError);
  // `,` and `@` are fine where they are not separators.
  expect(encodedQuery(['email', '=', 'a,b@example.com'])).toBe('email=a,b@example.com');
});

test('field names are checked', () => {
  expect(() => encodedQuery(['email=x^active', '=', 'true'])).toThrow(TypeError);
  expect(() => encodedQuery(['Email', '=', 'x'])).toThrow(TypeError);
  expect(() => encodedQuery({ orderBy: 'sys_id^active=true' })).toThrow(TypeError);
  expect(() => encodedQuery(['email', 'SAMEAS' as '=', 'x'])).toThrow(TypeError);
  expect(() => encodedQuery(['email', '=', 5 as unknown as string])).toThrow(TypeError);
});
