// F7 API keys as plain functions: the key's format and prefix, its hash, the bearer header, scopes and the
// webhook URL rules.
import { createHash } from 'node:crypto';
import {
  API_KEY_SCOPES,
  apiKeyPrefix,
  bearerKey,
  hashApiKey,
  isAcceptableApiKey,
  isGeneratedApiKey,
  loggableUrl,
  newApiKey,
  newWebhookSecret,
  parseScopes,
  webhookUrlProblem,
} from '../../src/domain/api-key';

describe('API key format', () => {
  it('S1: a new key is ivk_<10 lowercase/digits>_<43 base64url chars> (256 random bits), different every time', () => {
    const keys = new Set(Array.from({ length: 200 }, () => newApiKey()));
    expect(keys.size).toBe(200);
    for (const k of keys) {
      expect(k).toMatch(/^ivk_[a-z0-9]{10}_[A-Za-z0-9_-]{43}$/);
      expect(isGeneratedApiKey(k)).toBe(true);
      expect(apiKeyPrefix(k)).toBe(k.slice(0, 14));
      expect(apiKeyPrefix(k)).toMatch(/^ivk_[a-z0-9]{10}$/);
      expect(Buffer.from(k.slice(15), 'base64url')).toHaveLength(32);
    }
  });

  it('takes its randomness from the given source (bytes ≥ 252 are redrawn for the prefix)', () => {
    let calls = 0;
    const random = (n: number) => {
      calls += 1;
      return calls === 1 ? Buffer.from([255, ...Array(n - 1).fill(0)]) : Buffer.alloc(n, 1);
    };
    const k = newApiKey(random);
    expect(k.slice(0, 14)).toBe('ivk_aaaaaaaaab');
    expect(k.slice(15)).toBe(Buffer.alloc(32, 1).toString('base64url'));
  });

  it('S1: the stored hash is SHA-256 of the whole key', () => {
    const k = newApiKey();
    expect(hashApiKey(k).equals(createHash('sha256').update(k).digest())).toBe(true);
  });

  it('accepts given keys of 32–200 visible ASCII characters and nothing else', () => {
    expect(isAcceptableApiKey('x'.repeat(32))).toBe(true);
    expect(isAcceptableApiKey('x'.repeat(200))).toBe(true);
    expect(isAcceptableApiKey('x'.repeat(31))).toBe(false);
    expect(isAcceptableApiKey('x'.repeat(201))).toBe(false);
    expect(isAcceptableApiKey(`${'x'.repeat(32)} y`)).toBe(false);
    expect(isAcceptableApiKey(`${'x'.repeat(32)}\n`)).toBe(false);
    expect(isAcceptableApiKey(`${'x'.repeat(32)}é`)).toBe(false);
  });

  it('reads the key from an Authorization header only as Bearer', () => {
    const k = newApiKey();
    expect(bearerKey(`Bearer ${k}`)).toBe(k);
    expect(bearerKey(`bearer ${k}`)).toBe(k);
    expect(bearerKey(`Basic ${k}`)).toBeNull();
    expect(bearerKey(k)).toBeNull();
    expect(bearerKey('Bearer short')).toBeNull();
    expect(bearerKey(undefined)).toBeNull();
    expect(bearerKey(`Bearer ${k} extra`)).toBeNull();
  });

  it('the webhook secret is whsec_ + base64 of 32 random bytes (Standard Webhooks)', () => {
    const s = newWebhookSecret();
    expect(s).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(s.slice(6), 'base64')).toHaveLength(32);
  });
});

describe('scopes and webhook URLs', () => {
  it('parses scope lists, both by default; refuses unknown ones', () => {
    expect(parseScopes(undefined)).toEqual([...API_KEY_SCOPES]);
    expect(parseScopes('verifications:read')).toEqual(['verifications:read']);
    expect(parseScopes('verifications:read, verifications:read')).toEqual(['verifications:read']);
    expect(() => parseScopes('verifications:read,admin')).toThrow(/unknown scope "admin"/);
  });

  it('webhook URLs: https; http only to localhost/127.0.0.1 outside production; no credentials', () => {
    expect(webhookUrlProblem('https://ivr.example.com/hooks', 'production')).toBeNull();
    expect(webhookUrlProblem('http://127.0.0.1:9000/h', 'development')).toBeNull();
    expect(webhookUrlProblem('http://localhost:9000/h', 'test')).toBeNull();
    expect(webhookUrlProblem('http://127.0.0.1:9000/h', 'production')).toMatch(/https/);
    expect(webhookUrlProblem('http://ivr.example.com/h', 'development')).toMatch(/https/);
    expect(webhookUrlProblem('ftp://localhost/h', 'development')).toMatch(/https/);
    expect(webhookUrlProblem('https://u:p@ivr.example.com/h', 'production')).toMatch(/credentials/);
    expect(webhookUrlProblem('not a url', 'production')).toMatch(/not a valid URL/);
  });

  it('S20: a webhook URL is logged without its query string or fragment', () => {
    expect(loggableUrl('https://ivr.example.com/hooks?token=abc#x')).toBe('https://ivr.example.com/hooks');
  });
});
