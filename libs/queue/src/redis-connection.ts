import { Redis, RedisOptions } from 'ioredis';

/**
 * Producer connections fail fast while Redis is down (no offline queue), so callers see the error
 * at once and can retry from the database; worker connections wait and reconnect (BullMQ needs
 * maxRetriesPerRequest: null for blocking commands).
 */
export function createRedis(url: string, role: 'producer' | 'worker', extra: RedisOptions = {}): Redis {
  const common: RedisOptions = {
    lazyConnect: false,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    ...extra,
  };
  return role === 'producer'
    ? new Redis(url, { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 2000 })
    : new Redis(url, { ...common, maxRetriesPerRequest: null });
}

/** Deletes every key under a prefix (a test run's, a benchmark's); returns how many. */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  return deleted;
}
