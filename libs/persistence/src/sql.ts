/** Anything TypeORM can run raw SQL on: a DataSource, an EntityManager, a QueryRunner. */
export interface SqlRunner {
  query(sql: string, parameters?: unknown[]): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/**
 * Runs UPDATE/DELETE ... RETURNING and gives the rows. TypeORM answers those with
 * `[rows, affectedCount]` on PostgreSQL, where SELECT and INSERT give the rows themselves.
 */
export async function updateReturning<T>(runner: SqlRunner, sql: string, parameters: unknown[]): Promise<T[]> {
  const result = await runner.query(sql, parameters);
  return Array.isArray(result[0]) ? result[0] : result;
}
