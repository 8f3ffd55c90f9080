// Issue 8 finding 4 (S22): the one helper that cleans text from other systems and tells which input text to refuse.
import { cleanText, findUnacceptableText, unacceptableText } from '../src';

describe('issue 8 finding 4: control characters (S22)', () => {
  it('issue 8 finding 4: cleanText strips NUL and the other C0 controls, keeps line breaks only in multi-line text', () => {
    expect(cleanText('Abel\u0000 Tu\u0007ter\u007f')).toBe('Abel Tuter');
    expect(cleanText('a\tb\r\nc')).toBe('a b  c');
    expect(cleanText('a\tb\r\nc\u0000\u000b', { multiline: true })).toBe('a\tb\r\nc');
    expect(cleanText('x\ud800y\udc00z 😀')).toBe('x\ufffdy\ufffdz 😀');
    expect(cleanText('Zoë \uffff ok')).toBe('Zoë \uffff ok');
  });

  it('issue 8 finding 4: findUnacceptableText names the first field holding a control character or a lone surrogate', () => {
    expect(unacceptableText('plain text\twith tab\r\n')).toBeNull();
    expect(unacceptableText('a\u0000b')).toBe('a control character (U+0000)');
    expect(unacceptableText('\u001b[31m')).toBe('a control character (U+001B)');
    expect(unacceptableText('\ud83d')).toBe('an unpaired UTF-16 surrogate');
    expect(findUnacceptableText({ a: 'ok', b: ['x', { c: 'y\u0000' }] }, 'body')).toBe(
      'body/b/1/c contains a control character (U+0000)',
    );
    expect(findUnacceptableText({ 'k\u0001': 'v' }, 'body')).toMatch(/field name/);
    expect(findUnacceptableText({ a: 1, b: null, c: true, d: ['ok'] }, 'body')).toBeNull();
    expect(findUnacceptableText(undefined, 'body')).toBeNull();
  });
});
