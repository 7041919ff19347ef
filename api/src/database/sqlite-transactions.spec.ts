import { DataSource } from 'typeorm';
import { runSqliteTransactionsOneAtATime } from './sqlite-transactions';

describe('runSqliteTransactionsOneAtATime', () => {
  let dataSource: DataSource;

  beforeEach(async () => {
    dataSource = await new DataSource({
      type: 'better-sqlite3',
      driver: require('better-sqlite3'),
      database: ':memory:',
    }).initialize();
    runSqliteTransactionsOneAtATime(dataSource);
    await dataSource.query('CREATE TABLE items (name TEXT PRIMARY KEY)');
  });

  afterEach(() => dataSource.destroy());

  const names = async () =>
    (await dataSource.query('SELECT name FROM items ORDER BY name')).map(
      (row: { name: string }) => row.name,
    );

  it('runs transactions started at once one after the other; a rollback takes only its own writes', async () => {
    const results = await Promise.allSettled(
      ['a', 'b', 'c', 'd'].map((name) =>
        dataSource.transaction(async (manager) => {
          await manager.query('INSERT INTO items (name) VALUES (?)', [name]);
          await new Promise((done) => setTimeout(done, 5));
          if (name === 'b') throw new Error('rolled back');
        }),
      ),
    );

    expect(results.map((result) => result.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    expect(await names()).toEqual(['a', 'c', 'd']);
  });

  it('nests a transaction started inside another as a savepoint', async () => {
    await dataSource.transaction(async (manager) => {
      await manager.query('INSERT INTO items (name) VALUES (?)', ['outer']);
      await dataSource
        .transaction(async (inner) => {
          await inner.query('INSERT INTO items (name) VALUES (?)', ['inner']);
          throw new Error('inner rolled back');
        })
        .catch(() => undefined);
    });

    expect(await names()).toEqual(['outer']);
  });
});
