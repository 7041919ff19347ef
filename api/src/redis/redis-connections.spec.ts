import { loadConfig } from '../config/app-config';
import { eventually } from '../testing/eventually';
import { startRedisServer, TestRedisServer, uniqueKeyPrefix } from '../testing/redis';
import { FAIL_FAST, RedisConnections } from './redis-connections';

describe('RedisConnections', () => {
  let server: TestRedisServer;
  const keyPrefix = uniqueKeyPrefix();
  const connectionsTo = (url: string) =>
    new RedisConnections(loadConfig({ REDIS_URL: url, REDIS_KEY_PREFIX: keyPrefix }));

  beforeAll(async () => {
    server = await startRedisServer();
  });

  afterAll(() => server.stop());

  it('needs REDIS_URL', () => {
    expect(() => new RedisConnections(loadConfig({}))).toThrow('REDIS_URL');
  });

  it('names each client after its use, under the key prefix', async () => {
    const connections = connectionsTo(server.url);
    const client = connections.create('probe');
    expect(await client.client('GETNAME')).toBe(`${keyPrefix}:probe`);
    expect(connections.keyPrefix).toBe(keyPrefix);
    await connections.onApplicationShutdown();
    await eventually(() => expect(client.status).toBe('end'));
  });

  it('reconnects by itself when Redis is back, and closes quickly while it is away', async () => {
    const connections = connectionsTo(server.url);
    const client = connections.create('outage', FAIL_FAST);
    await eventually(() => expect(client.status).toBe('ready'));
    await server.stop();
    await expect(client.ping()).rejects.toThrow();
    await server.start();
    await eventually(() => expect(client.status).toBe('ready'));
    expect(await client.ping()).toBe('PONG');
    await server.stop();
    const started = Date.now();
    await connections.onApplicationShutdown();
    expect(Date.now() - started).toBeLessThan(1000);
    await server.start();
  });
});
