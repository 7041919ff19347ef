import { PinnedAddress } from '../providers/upstream/http-transport';
import { targetAddress, TargetRefusedError, webhookUrlProblem } from './webhook-target';

describe('the URL of an endpoint', () => {
  it.each([
    'https://example.com/webhooks',
    'http://example.com:8080/hooks?team=7',
    'https://[2001:4860::8888]/hook',
  ])('may be %s', (url) => {
    expect(webhookUrlProblem(url)).toBeNull();
  });

  it.each([
    ['not a URL', 'example.com/webhooks', /absolute http or https URL/],
    ['another scheme', 'ftp://example.com/hooks', /http or https URL, not ftp/],
    ['a file', 'file:///etc/passwd', /not file/],
    ['a user and password', 'https://ada:secret@example.com/hooks', /user name or password/],
    ['a user only', 'https://ada@example.com/hooks', /user name or password/],
  ])('is refused when it is %s, naming url', (_case, url, why) => {
    expect(webhookUrlProblem(url)).toMatch(/^url /);
    expect(webhookUrlProblem(url)).toMatch(why);
  });
});

describe('the address an endpoint is posted to', () => {
  const resolvingTo =
    (...addresses: string[]) =>
    async (): Promise<PinnedAddress[]> =>
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  const publicOnly = (...addresses: string[]) => ({
    allowPrivate: false,
    resolve: resolvingTo(...addresses),
  });
  const refusal = (url: string, options: Parameters<typeof targetAddress>[1]) =>
    targetAddress(new URL(url), options).then(
      () => 'allowed',
      (error: unknown) => {
        expect(error).toBeInstanceOf(TargetRefusedError);
        return (error as Error).message;
      },
    );

  it('is the first address of a public host, to connect to without asking DNS again', async () => {
    expect(
      await targetAddress(new URL('https://hooks.example.com/x'), publicOnly('93.184.215.14')),
    ).toEqual({ address: '93.184.215.14', family: 4 });
    expect(
      await targetAddress(new URL('https://[2606:4700::1111]/x'), { allowPrivate: false }),
    ).toEqual({ address: '2606:4700::1111', family: 6 });
  });

  it.each([
    ['http://127.0.0.1:3000/hook', 'loopback'],
    ['http://10.1.2.3/hook', 'private'],
    ['http://192.168.1.20/hook', 'private'],
    ['http://169.254.169.254/latest/meta-data', 'link-local'],
    ['http://[::1]/hook', 'loopback'],
    ['http://[fe80::1]/hook', 'link-local'],
    ['http://[::ffff:127.0.0.1]/hook', 'IPv4-mapped loopback'],
    ['http://0.0.0.0/hook', 'unspecified ("this network")'],
  ])('refuses %s (%s), the policy of result downloads', async (url, reason) => {
    expect(await refusal(url, { allowPrivate: false })).toContain(`(${reason})`);
  });

  it('refuses a name that resolves to an internal address, even among public ones', async () => {
    expect(await refusal('http://localhost:8080/hook', publicOnly('127.0.0.1'))).toBe(
      'localhost resolves to 127.0.0.1, which is not a public address (loopback); webhooks are sent to public addresses only.',
    );
    expect(
      await refusal('https://mixed.example.com/', publicOnly('93.184.215.14', '10.0.0.8')),
    ).toMatch(/resolves to 10\.0\.0\.8.*\(private\)/);
  });

  it('allows every address with WEBHOOK_ALLOW_PRIVATE_TARGETS', async () => {
    expect(
      await targetAddress(new URL('http://localhost:8080/hook'), {
        allowPrivate: true,
        resolve: resolvingTo('127.0.0.1'),
      }),
    ).toEqual({ address: '127.0.0.1', family: 4 });
  });

  it('says so when the host cannot be found', async () => {
    const notFound = async (): Promise<PinnedAddress[]> => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    expect(
      await refusal('https://nowhere.invalid/', { allowPrivate: true, resolve: notFound }),
    ).toBe('nowhere.invalid could not be found (ENOTFOUND).');
    expect(await refusal('https://empty.example/', publicOnly())).toBe(
      'empty.example has no address.',
    );
  });

  it('stops waiting for a lookup when told to', async () => {
    const controller = new AbortController();
    const never = () => new Promise<PinnedAddress[]>(() => undefined);
    const waiting = targetAddress(new URL('https://slow.example/'), {
      allowPrivate: false,
      resolve: never,
      signal: controller.signal,
    });
    controller.abort(new Error('deadline'));

    await expect(waiting).rejects.toThrow('deadline');
  });
});
