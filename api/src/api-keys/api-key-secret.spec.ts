import { generateSecret, hashSecret, isSecretShaped, visiblePrefix } from './api-key-secret';

describe('API key secrets', () => {
  it('are vg_ and 43 base62 characters, each one new', () => {
    const secrets = Array.from({ length: 2000 }, () => generateSecret());

    for (const secret of secrets) expect(secret).toMatch(/^vg_[0-9A-Za-z]{43}$/);
    expect(new Set(secrets).size).toBe(secrets.length);
    // 256 random bits fill the 43 characters: every position takes many values.
    const firsts = new Set(secrets.map((secret) => secret[3]));
    expect(firsts.size).toBeGreaterThan(20);
  });

  it('are recognised by their shape only', () => {
    expect(isSecretShaped(generateSecret())).toBe(true);
    expect(isSecretShaped(`${generateSecret()}0`)).toBe(false);
    expect(isSecretShaped(generateSecret().replace('vg_', 'VG_'))).toBe(false);
    expect(isSecretShaped(`vg_${'-'.repeat(43)}`)).toBe(false);
    expect(isSecretShaped('eyJhbGciOiJIUzI1NiJ9.e30.x')).toBe(false);
  });

  it('show vg_ and six characters, and hash to SHA-256 hex of the whole secret', () => {
    const secret = `vg_${'a1'.repeat(21)}b`;

    expect(visiblePrefix(secret)).toBe('vg_a1a1a1');
    expect(hashSecret(secret)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSecret(secret)).not.toBe(hashSecret(`${secret.slice(0, -1)}c`));
  });
});
