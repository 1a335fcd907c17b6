import { canonicalizeUrl, dedupKey } from '@hotline/domain';
import { deleteKeysWithPrefix } from '@hotline/queue';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { testEnv } from '../support/config';
import { connectDatabase } from '../support/database';
import { AppProcess, ensureBuilt } from '../support/processes';

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The operator commands of the pipeline, run as the built CLI against the run's database:
 * known-URL imports (all or nothing), routing rules (validated, versioned) and dead letters
 * (listed and redriven into BullMQ under this file's own Redis prefix, which no worker reads).
 */
describe('CLI pipeline commands', () => {
  const run = randomBytes(4).toString('hex');
  const prefix = `{hotline-cli-${run}}`;
  const env = testEnv({ REDIS_PREFIX: prefix });
  const host = `cli-${run}.example`;
  const dir = mkdtempSync(join(tmpdir(), 'hotline-cli-'));
  let db: Client;
  let redis: Redis;
  let savedRules: string | null = null;

  const file = (name: string, content: string): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  async function cli(...args: string[]): Promise<CliResult> {
    const proc = await AppProcess.start('cli', env, undefined, args);
    let stdout = '';
    let stderr = '';
    proc.child.stdout!.on('data', (chunk) => (stdout += chunk));
    proc.child.stderr!.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => proc.child.once('close', (exitCode) => resolve(exitCode)));
    return { code, stdout, stderr };
  }

  const knownUrls = async () =>
    (
      await db.query(`SELECT dedup_key, canonical_url, verdict, list_name FROM known_url WHERE canonical_url LIKE $1 ORDER BY canonical_url`, [`http://${host}/%`])
    ).rows.map((row) => ({ ...row, dedup_key: row.dedup_key.trim() }));

  beforeAll(async () => {
    ensureBuilt();
    db = await connectDatabase();
    redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1 });
  });

  afterAll(async () => {
    // Shared database: the routing rules go back to what they were, the test's known URLs go.
    if (savedRules !== null) {
      const restored = await cli('routing:set', file('restore.json', savedRules), '--by', `cli-e2e-restore-${run}`);
      if (restored.code !== 0) throw new Error(`could not restore the routing rules: ${restored.stderr}`);
    }
    await db?.query(`DELETE FROM known_url WHERE canonical_url LIKE $1`, [`http://${host}/%`]);
    await db?.end();
    if (redis) {
      await deleteKeysWithPrefix(redis, prefix);
      redis.disconnect();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  describe('known-urls:import', () => {
    const key = (url: string) => dedupKey(canonicalizeUrl(url));

    it('imports a CSV, counting two spellings of one URL once, and updates on re-import', async () => {
      const csv = file(
        'partner.csv',
        [
          'url,verdict',
          `http://${host}/page?id=1,baseline`,
          // The same URL as the line above once canonicalised and stripped of tracking parameters.
          `HTTP://${host.toUpperCase()}:80/page?id=1&utm_source=mail&fbclid=abc#top,baseline`,
          `"http://${host}/other?a=1,2",`, // quoted (comma in the URL), verdict from --verdict
          '',
        ].join('\n'),
      );

      const first = await cli('known-urls:import', csv, '--list', `partner-${run}`, '--verdict', 'national', '--json');
      expect(first).toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(first.stdout)).toEqual({ imported: 2, new: 2, updated: 0, list: `partner-${run}` });
      expect(await knownUrls()).toEqual([
        { dedup_key: key(`http://${host}/other?a=1,2`), canonical_url: `http://${host}/other?a=1,2`, verdict: 'national', list_name: `partner-${run}` },
        { dedup_key: key(`http://${host}/page?id=1`), canonical_url: `http://${host}/page?id=1`, verdict: 'baseline', list_name: `partner-${run}` },
      ]);

      const again = await cli('known-urls:import', csv, '--list', `partner-${run}-v2`, '--verdict', 'national');
      expect(again.code).toBe(0);
      expect(again.stdout).toBe(`imported 2 known URLs (0 new, 2 updated) into list partner-${run}-v2\n`);
      const rows = await knownUrls();
      expect(rows).toHaveLength(2);
      expect(rows.map((row) => row.list_name)).toEqual([`partner-${run}-v2`, `partner-${run}-v2`]);
    });

    it('imports JSON (strings and {url, verdict}), updating a URL it already holds', async () => {
      const json = file(
        'partner-list', // no extension: recognised by its content
        JSON.stringify(
          [
            `http://${host}/json/1`,
            { url: `http://${host}/json/2`, verdict: 'harmful_not_illegal' },
            // Already imported from the CSV (as baseline); the new verdict wins.
            { url: `http://${host}/page?id=1&gclid=xyz`, verdict: 'not_illegal' },
          ],
          null,
          2,
        ),
      );

      const result = await cli('known-urls:import', json, '--list', `json-${run}`, '--verdict', 'baseline', '--json');
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(result.stdout)).toEqual({ imported: 3, new: 2, updated: 1, list: `json-${run}` });
      const rows = await knownUrls();
      // The row of /page?id=1 is updated in place (same dedup key), with the spelling last imported.
      expect(rows.map(({ dedup_key, canonical_url, verdict, list_name }) => [dedup_key, canonical_url, verdict, list_name])).toEqual([
        [key(`http://${host}/json/1`), `http://${host}/json/1`, 'baseline', `json-${run}`],
        [key(`http://${host}/json/2`), `http://${host}/json/2`, 'harmful_not_illegal', `json-${run}`],
        [key(`http://${host}/other?a=1,2`), `http://${host}/other?a=1,2`, 'national', `partner-${run}-v2`],
        [key(`http://${host}/page?id=1`), `http://${host}/page?id=1&gclid=xyz`, 'not_illegal', `json-${run}`],
      ]);
    });

    it('refuses a file with bad rows, naming each line, and writes nothing', async () => {
      const before = await knownUrls();
      const bad = file(
        'bad.csv',
        [
          'url,verdict',
          `http://${host}/fresh/1,baseline`, // line 2: good, but must not be written either
          `http://${host}/page?id=1,national`, // line 3: good (would update)
          'javascript:alert(1),baseline', // line 4: not a URL
          `http://${host}/fresh/2,illegalish`, // line 5: unknown verdict
        ].join('\n'),
      );

      const result = await cli('known-urls:import', bad, '--list', `bad-${run}`);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('2 bad rows');
      expect(result.stderr).toContain('line 4: not a URL');
      expect(result.stderr).toContain('line 5: unknown verdict "illegalish"');
      expect(result.stderr).not.toMatch(/line [23]:/);
      expect(await knownUrls()).toEqual(before);
    });
  });

  describe('routing:list and routing:set', () => {
    const currentVersion = async () => (await db.query(`SELECT version FROM routing_rules WHERE id = 1`)).rows[0].version as number;

    it('refuses invalid rules with a precise error, saves valid ones with a new version', async () => {
      const listed = await cli('routing:list', '--json');
      expect(listed.code).toBe(0);
      savedRules = listed.stdout;
      const saved = JSON.parse(listed.stdout);
      expect(saved.version).toBe(await currentVersion());
      expect(saved.rules[saved.rules.length - 1].match).toEqual({});

      const invalid = file('invalid-rules.json', JSON.stringify([{ name: 'first', match: { minPriority: 150 }, queue: 'standard' }, ...saved.rules]));
      const refused = await cli('routing:set', invalid, '--by', `cli-e2e-${run}`);
      expect(refused.code).toBe(2);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toContain('rules[0].match.minPriority must be an integer 0..100');
      expect(await currentVersion()).toBe(saved.version);

      // One more rule just before the catch-all, routing to the catch-all's queue: whatever it
      // matches would have gone there anyway, so tests running at the same time are not affected.
      const catchAll = saved.rules[saved.rules.length - 1];
      const rule = { name: `cli-e2e-${run}`, match: { languages: ['zu'], minPriority: 100 }, queue: catchAll.queue };
      const valid = file('valid-rules.json', JSON.stringify([...saved.rules.slice(0, -1), rule, catchAll]));
      const accepted = await cli('routing:set', valid, '--by', `cli-e2e-${run}`);
      expect(accepted.code).toBe(0);
      expect(accepted.stdout).toContain(`version ${saved.version + 1}`);
      expect(await currentVersion()).toBe(saved.version + 1);

      const after = JSON.parse((await cli('routing:list', '--json')).stdout);
      expect(after).toMatchObject({ version: saved.version + 1, updatedBy: `cli-e2e-${run}` });
      expect(after.rules).toEqual([...saved.rules.slice(0, -1), rule, catchAll]);
      const text = await cli('routing:list');
      expect(text.stdout).toContain(`version ${saved.version + 1}`);
      expect(text.stdout).toContain(`cli-e2e-${run}: {"languages":["zu"],"minPriority":100} -> ${catchAll.queue}`);
    });
  });

  describe('dlq:list and dlq:redrive', () => {
    it('lists an open dead letter and redrives it into its BullMQ queue', async () => {
      const jobId = `hosting-cli-e2e-${run}`;
      const caseId = randomUUID();
      const [{ id }] = (
        await db.query(
          `INSERT INTO dead_letter (queue, job_name, job_id, payload, error, attempts)
           VALUES ('hosting', 'resolve-hosting', $1, $2, 'Error: lookup failed', 10) RETURNING id::text`,
          [jobId, JSON.stringify({ caseId })],
        )
      ).rows;

      const listed = await cli('dlq:list', '--json');
      expect(listed.code).toBe(0);
      const letters = JSON.parse(listed.stdout);
      expect(letters.find((letter: { id: string }) => letter.id === id)).toMatchObject({
        queue: 'hosting',
        jobName: 'resolve-hosting',
        jobId,
        payload: { caseId },
        attempts: 10,
        redrivenAt: null,
      });
      const lines = (await cli('dlq:list')).stdout.split('\n');
      expect(lines.find((line) => line.startsWith(`${id} `))).toMatch(new RegExp(`^${id} hosting resolve-hosting ${jobId} 10 \\S+Z Error: lookup failed$`));

      const redriven = await cli('dlq:redrive', id);
      expect(redriven).toMatchObject({ code: 0, stdout: `redriven 1: ${id}\n` });
      const { rows } = await db.query(`SELECT redriven_at FROM dead_letter WHERE id = $1`, [id]);
      expect(rows[0].redriven_at).toBeInstanceOf(Date);

      const queue = new Queue('hosting', { connection: redis, prefix });
      try {
        const job = await queue.getJob(jobId);
        expect(job).toBeDefined();
        expect(job!.name).toBe('resolve-hosting');
        expect(job!.data).toEqual({ caseId });
        expect(await job!.getState()).toBe('waiting');
        await job!.remove();
        expect(await queue.getJob(jobId)).toBeUndefined();
      } finally {
        await queue.close();
      }

      // No longer open: not listed without --all, and a second redrive fails.
      expect(JSON.parse((await cli('dlq:list', '--json')).stdout).map((letter: { id: string }) => letter.id)).not.toContain(id);
      const all = JSON.parse((await cli('dlq:list', '--all', '--json')).stdout);
      expect(all.find((letter: { id: string }) => letter.id === id).redrivenAt).toEqual(expect.any(String));
      const again = await cli('dlq:redrive', id);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain(`dead letter ${id} is not open`);
    });

    it('exits 1 for an id that is not an open dead letter and 2 for bad usage', async () => {
      const unknown = await cli('dlq:redrive', '999999999');
      expect(unknown).toMatchObject({ code: 1, stdout: '' });
      expect(unknown.stderr).toContain('dead letter 999999999 is not open');

      const neither = await cli('dlq:redrive');
      expect(neither).toMatchObject({ code: 2, stdout: '' });
      expect(neither.stderr).toContain('exactly one of <id> and --all');

      expect((await cli('dlq:redrive', '12', '--all')).code).toBe(2);
      expect((await cli('dlq:redrive', 'abc')).code).toBe(2);
      expect((await cli('dlq:redrive', '0')).code).toBe(2);
    });
  });
});
