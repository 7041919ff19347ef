import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager } from 'typeorm';

/**
 * TypeORM's SQLite drivers run everything on one connection, so two transactions started at
 * once interleave on it: the second one's BEGIN fails ("cannot start a transaction within a
 * transaction"), or it becomes a savepoint of the first and commits or rolls back with it. The
 * file admits one writer at a time anyway, so transactions here wait for each other; one
 * started inside another (the same async call chain) still nests as a savepoint.
 */
export function runSqliteTransactionsOneAtATime(dataSource: DataSource): void {
  const manager = dataSource.manager;
  const original = manager.transaction.bind(manager) as (...args: unknown[]) => Promise<unknown>;
  const inside = new AsyncLocalStorage<true>();
  let previous: Promise<unknown> = Promise.resolve();
  manager.transaction = ((...args: unknown[]) => {
    if (inside.getStore()) return original(...args);
    const run = previous.then(() => inside.run(true, () => original(...args)));
    previous = run.catch(() => undefined);
    return run;
  }) as EntityManager['transaction'];
}
