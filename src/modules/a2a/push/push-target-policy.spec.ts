import { loadConfig } from '../../../config/app-config';
import { PushTargetPolicy } from './push-target-policy';

function policy(allowed?: string): PushTargetPolicy {
  return new PushTargetPolicy(
    loadConfig({
      NODE_ENV: 'test',
      JWT_SECRET: 'unit-test-jwt-secret-0123456789',
      WEBHOOK_SECRET: 'unit-test-webhook-secret-0123456789',
      ...(allowed ? { A2A_PUSH_ALLOWED_HOSTS: allowed } : {}),
    }),
  );
}

describe('PushTargetPolicy', () => {
  it('refuses loopback, private, link-local and unspecified addresses by default', () => {
    const strict = policy();
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.0.10',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '::',
      'fd12::1',
      'fe80::1',
      '::ffff:127.0.0.1',
    ])
      expect(strict.refusal('hook.example', [address])).toMatch('loopback or private address');
    expect(strict.refusal('hook.example', ['93.184.216.34', '2606:2800:220:1::1'])).toBeUndefined();
    // One forbidden address among several is enough to refuse the host.
    expect(strict.refusal('hook.example', ['93.184.216.34', '10.0.0.1'])).toBeDefined();
  });

  it('lets the allowlist name hosts, addresses and ranges', () => {
    const lenient = policy('127.0.0.1, 10.8.0.0/16,hooks.internal');
    expect(lenient.refusal('127.0.0.1', ['127.0.0.1'])).toBeUndefined();
    expect(lenient.refusal('a', ['10.8.3.4'])).toBeUndefined();
    expect(lenient.refusal('a', ['10.9.0.1'])).toBeDefined();
    expect(lenient.refusal('HOOKS.internal', ['192.168.1.1'])).toBeUndefined();
    expect(lenient.refusal('a', ['127.0.0.2'])).toBeDefined();
  });

  it('checks registered URLs: http(s) only, literal addresses without a lookup', async () => {
    const strict = policy();
    await expect(strict.check('ftp://93.184.216.34/x')).rejects.toMatchObject({
      reason: 'INVALID_PARAMS',
    });
    await expect(strict.check('http://[::1]:8080/hook')).rejects.toMatchObject({
      reason: 'INVALID_PARAMS',
      message: expect.stringContaining('::1') as string,
    });
    await expect(strict.check('https://93.184.216.34/hook')).resolves.toBeUndefined();
  });
});
