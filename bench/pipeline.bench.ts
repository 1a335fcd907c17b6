/**
 * `npm run bench:pipeline`: does the triage pipeline keep up with intake at full speed?
 *
 * Intake and BENCH_WORKERS worker processes (default 1) on a fresh database; wrk drives intake at
 * saturation for BENCH_DURATION seconds (default 15), every request a new URL
 * (bench/unique-reports.lua), while the workers relay the outbox and turn each URL into a queued
 * case. From the moment the load starts, PostgreSQL is polled every BENCH_POLL_MS (default 100;
 * less often once the counting query grows, so that it takes at most a tenth of the time) with one
 * query: reported URLs, URLs attached to a case, queued cases with a queue, outbox rows not yet
 * published. Polling stops when every reported URL is a queued case, or after BENCH_CAP_FACTOR
 * (default 10) times the load duration, which is reported as a failure.
 *
 * Criterion: everything is a queued case within 10% more time than intake took
 * (pipelineSeconds / intakeSeconds <= 1.10). Then it waits until every case has its hosting trace
 * (hostingSeconds, from the start of the load): not part of the criterion, since tracing runs in
 * jobs of its own and never holds a case back from its queue. Once a second it also samples the CPU of each
 * process group (intake, workers, PostgreSQL backends of this database and its background
 * processes, Redis, wrk) from /proc, the BullMQ queue lengths and what the database sessions wait
 * on, to show where the time goes. Results go to bench/results/pipeline-<date>.json and
 * bench/results/pipeline-latest.json.
 */
import { ChildProcess, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import * as dnsPacket from 'dns-packet';
import { deleteKeysWithPrefix } from '@hotline/queue';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { ROOT, startServer, stopServer, waitReady } from './servers';

const ADMIN_URL = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DURATION = Number(process.env.BENCH_DURATION ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 100);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1);
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 100);
/** The counting query scans the tables, so it grows with them: it may take at most this share of the time. */
const POLL_DUTY = 0.1;
const CAP_FACTOR = Number(process.env.BENCH_CAP_FACTOR ?? 10);
/** Seconds of load before the measured run, so intake runs warm; the workers drain it first. */
const WARM_UP = Number(process.env.BENCH_WARMUP ?? 1);
const KEPT_UP_RATIO = 1.1;
const INTAKE_PORT = 3910;
const WORKER_PORT = 3911;

// What the workers run with: the bench passes its environment through, so these are the values
// the apps read (their defaults unless set).
const WORKER_SETTINGS = {
  PIPELINE_CONCURRENCY: Number(process.env.PIPELINE_CONCURRENCY ?? 16),
  HOSTING_CONCURRENCY: Number(process.env.HOSTING_CONCURRENCY ?? 32),
  OUTBOX_POLL_MS: Number(process.env.OUTBOX_POLL_MS ?? 100),
  OUTBOX_BATCH_SIZE: Number(process.env.OUTBOX_BATCH_SIZE ?? 500),
  DATABASE_POOL_SIZE: Number(process.env.DATABASE_POOL_SIZE ?? 10),
  // Hosting lookups go to a DNS server of the bench on loopback (never the internet), which
  // answers every name at once with a documentation address, as a working resolver would.
  // BENCH_DNS=down points them at a closed port instead: every lookup fails and retries, as in a
  // DNS outage.
  DNS_SERVERS: process.env.BENCH_DNS === 'down' ? '127.0.0.1:9' : 'set at start',
  DNS_TIMEOUT_MS: 200,
};

/** A DNS server answering every A question with 192.0.2.1 and every other with no records. */
async function startDnsResponder(): Promise<{ address: string; close: () => void }> {
  const socket = createSocket('udp4');
  socket.on('message', (message, peer) => {
    const query = dnsPacket.decode(message);
    const question = query.questions?.[0];
    if (!question) return;
    const answers: dnsPacket.Answer[] = question.type === 'A' ? [{ type: 'A', name: question.name, ttl: 60, data: '192.0.2.1' }] : [];
    socket.send(dnsPacket.encode({ type: 'response', id: query.id, flags: dnsPacket.RECURSION_AVAILABLE, questions: [question], answers }), peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { address: `127.0.0.1:${socket.address().port}`, close: () => socket.close() };
}

interface WrkRun {
  requests: number;
  durationUs: number;
  non2xx: number;
  socketErrors: number;
  timeouts: number;
  latencyUs: { p50: number; p90: number; p99: number; max: number };
}

/** Saturation load from wrk: every request a new URL (bench/unique-reports.lua). */
function wrk(url: string, duration: number, onSpawn?: (child: ChildProcess) => void): Promise<WrkRun> {
  const args = ['-t2', `-c${CONNECTIONS}`, `-d${duration}s`, '-s', join(ROOT, 'bench', 'unique-reports.lua'), url, '--', randomBytes(4).toString('hex')];
  return new Promise<WrkRun>((resolve, reject) => {
    const child = execFile('wrk', args, (error, out) =>
      error ? reject(new Error(`wrk failed (apt-get install wrk): ${error.message}`)) : resolve(JSON.parse(out.trim().split('\n').pop()!) as WrkRun),
    );
    onSpawn?.(child);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

// --- what the database shows -------------------------------------------------------------------

interface Counts {
  urls: number;
  attached: number;
  cases: number;
  queuedCases: number;
  outboxPending: number;
}

// One statement, one scan per table: URLs and attached URLs together, cases and queued cases
// together, and the unpublished outbox rows through their partial index.
const COUNTS = `
  SELECT u.urls, u.attached, c.cases, c.queued_cases AS "queuedCases",
         (SELECT count(*)::int FROM outbox WHERE published_at IS NULL) AS "outboxPending"
    FROM (SELECT count(*)::int AS urls, count(case_id)::int AS attached FROM reported_url) u,
         (SELECT count(*)::int AS cases, (count(*) FILTER (WHERE status = 'queued' AND queue IS NOT NULL))::int AS queued_cases
            FROM "case") c`;

// Exact check once the counts say done: no URL without a queued, routed case.
const NOT_DONE = `
  SELECT count(*)::int AS n FROM reported_url ru LEFT JOIN "case" c ON c.id = ru.case_id
   WHERE c.id IS NULL OR c.status <> 'queued' OR c.queue IS NULL`;

async function counts(db: Client): Promise<Counts> {
  return (await db.query(COUNTS)).rows[0] as Counts;
}

// --- where the time goes: /proc, Redis, pg_stat_activity, once a second -----------------------

const TICKS_PER_SECOND = 100; // USER_HZ; `getconf CLK_TCK` is 100 on Linux

function processTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return null; // exited
  }
}

function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const values = line.split(/\s+/).slice(1, 9).map(Number); // user nice system idle iowait irq softirq steal
  const total = values.reduce((sum, v) => sum + v, 0);
  return { busy: total - values[3] - values[4], total };
}

function findPids(comm: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === comm) pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}

type Group = 'intake' | 'workers' | 'postgres' | 'benchQueries' | 'redis' | 'wrk';

interface ResourceSample {
  t: number;
  /**
   * Percent of one core per process group since the previous sample; others: everything else on
   * the machine (other users of the shared cores), machine: percent of all cores busy.
   */
  cpuPercent: Record<Group | 'others' | 'machine', number>;
  bullmq: { urlsWaiting: number; urlsActive: number; hostingWaiting: number; hostingActive: number; hostingDelayed: number };
  /** Sessions of the bench database (and PostgreSQL's background processes), by state and what they wait on. */
  dbSessions: Record<string, number>;
}

class ResourceMonitor {
  readonly samples: ResourceSample[] = [];
  readonly sessionTotals: Record<string, number> = {};
  private readonly last = new Map<number, number>();
  private lastMachine = machineTicks();
  private lastAt = Date.now();
  private running = true;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly db: Client,
    private readonly redis: Redis,
    private readonly database: string,
    private readonly prefix: string,
    private readonly groups: () => Record<Exclude<Group, 'postgres' | 'benchQueries'>, number[]>,
    private readonly t0: number,
  ) {}

  async start(): Promise<void> {
    await this.sample(false); // baseline
    this.loop = (async () => {
      while (this.running) {
        await sleep(1000);
        if (this.running) await this.sample(true).catch((error) => process.stderr.write(`pipeline bench: monitor: ${error.message}\n`));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async sample(record: boolean): Promise<void> {
    const sessions = await this.db.query(
      `SELECT pid, coalesce(datname, '') AS datname, backend_type, application_name, coalesce(state, '') AS state,
              coalesce(wait_event_type, '') AS wait_type, coalesce(wait_event, '') AS wait_event
         FROM pg_stat_activity WHERE (datname = $1 OR datname IS NULL) AND pid <> pg_backend_pid()`,
      [this.database],
    );
    const k = (queue: string, key: string) => `${this.prefix}:${queue}:${key}`;
    const lengths = (await this.redis
      .multi()
      .llen(k('reported-urls', 'wait'))
      .llen(k('reported-urls', 'active'))
      .llen(k('hosting', 'wait'))
      .llen(k('hosting', 'active'))
      .zcard(k('hosting', 'delayed'))
      .exec())!.map(([, value]) => Number(value));

    const now = Date.now();
    const seconds = (now - this.lastAt) / 1000;
    // The backends serving this bench's own polling are counted apart from the apps'.
    const ours = (row: { application_name: string }) => row.application_name.startsWith('bench-');
    const pids: Record<Group, number[]> = {
      ...this.groups(),
      postgres: sessions.rows.filter((row) => !ours(row)).map((row) => row.pid as number),
      benchQueries: sessions.rows.filter(ours).map((row) => row.pid as number),
    };
    const cpu = {} as Record<Group | 'others' | 'machine', number>;
    for (const [group, list] of Object.entries(pids) as [Group, number[]][]) {
      let ticks = 0;
      for (const pid of list) {
        const now = processTicks(pid);
        if (now === null) continue;
        // A process first seen now started after the previous sample (or this is the baseline).
        ticks += now - (this.last.get(pid) ?? 0);
        this.last.set(pid, now);
      }
      cpu[group] = Math.round((ticks / TICKS_PER_SECOND / seconds) * 100);
    }
    const machine = machineTicks();
    cpu.machine = Math.round(((machine.busy - this.lastMachine.busy) / Math.max(1, machine.total - this.lastMachine.total)) * 100);
    const grouped = Object.values(cpu).reduce((sum, v) => sum + v, 0) - cpu.machine;
    cpu.others = Math.max(0, Math.round(((machine.busy - this.lastMachine.busy) / TICKS_PER_SECOND / seconds) * 100) - grouped);
    this.lastMachine = machine;
    this.lastAt = now;
    if (!record) return;

    const dbSessions: Record<string, number> = {};
    for (const row of sessions.rows) {
      if (row.backend_type !== 'client backend' || ours(row)) continue;
      const key = `${row.state || '?'}${row.wait_type ? ` ${row.wait_type}/${row.wait_event}` : ''}`;
      dbSessions[key] = (dbSessions[key] ?? 0) + 1;
      this.sessionTotals[key] = (this.sessionTotals[key] ?? 0) + 1;
    }
    this.samples.push({
      t: round((now - this.t0) / 1000, 1),
      cpuPercent: cpu,
      bullmq: { urlsWaiting: lengths[0], urlsActive: lengths[1], hostingWaiting: lengths[2], hostingActive: lengths[3], hostingDelayed: lengths[4] },
      dbSessions,
    });
  }
}

/** Job timings (sum of the histograms) and failed attempts over the workers' /metrics. */
async function jobTimings(
  ports: number[],
): Promise<Record<string, { completed: number; meanProcessingMs: number; meanWaitMs: number; failedAttempts: number; failedForGood: number }>> {
  const sums: Record<string, Record<string, number>> = {};
  const add = (queue: string, key: string, value: number) => {
    sums[queue] ??= {};
    sums[queue][key] = (sums[queue][key] ?? 0) + value;
  };
  for (const port of ports) {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    for (const line of text.split('\n')) {
      const timing = /^hotline_job_(processing|wait)_seconds_(sum|count)\{([^}]*)\} (\S+)$/.exec(line);
      const failure = /^hotline_job_failures_total\{([^}]*)\} (\S+)$/.exec(line);
      const labels = timing?.[3] ?? failure?.[1] ?? '';
      const queue = /queue="([^"]+)"/.exec(labels)?.[1];
      if (!queue) continue;
      if (timing) add(queue, `${timing[1]}_${timing[2]}`, Number(timing[4]));
      if (failure) add(queue, /final="true"/.test(labels) ? 'failed_final' : 'failed_retried', Number(failure[2]));
    }
  }
  return Object.fromEntries(
    Object.entries(sums).map(([queue, s]) => [
      queue,
      {
        completed: s.processing_count ?? 0,
        meanProcessingMs: round(((s.processing_sum ?? 0) / Math.max(1, s.processing_count ?? 0)) * 1000, 1),
        meanWaitMs: round(((s.wait_sum ?? 0) / Math.max(1, s.wait_count ?? 0)) * 1000, 1),
        failedAttempts: (s.failed_retried ?? 0) + (s.failed_final ?? 0),
        failedForGood: s.failed_final ?? 0,
      },
    ]),
  );
}

async function main(): Promise<void> {
  const database = `hotline_bench_${Date.now().toString(36)}`;
  const prefix = `{hotline-bench-${database}}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  const env = { DATABASE_URL: url.toString(), NODE_ENV: 'development', LOG_LEVEL: 'warn', INTAKE_RATE_LIMIT: 'off', REDIS_PREFIX: prefix };
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const children: ChildProcess[] = [];
  const pollDb = new Client({ connectionString: url.toString(), application_name: 'bench-poll' });
  const probeDb = new Client({ connectionString: url.toString(), application_name: 'bench-probe' });
  const monitorDb = new Client({ connectionString: url.toString(), application_name: 'bench-monitor' });
  let monitor: ResourceMonitor | null = null;
  let wrkPid: number | undefined;
  let closeDns = () => {};
  try {
    const intake = startServer('dist/apps/intake-api/src/main.js', { ...env, INTAKE_PORT: String(INTAKE_PORT) });
    children.push(intake);
    await waitReady(`http://127.0.0.1:${INTAKE_PORT}/health/ready`); // migrations applied
    const intakeUrl = `http://127.0.0.1:${INTAKE_PORT}`;
    if (WARM_UP > 0) await wrk(intakeUrl, WARM_UP);

    if (WORKER_SETTINGS.DNS_SERVERS === 'set at start') {
      const responder = await startDnsResponder();
      WORKER_SETTINGS.DNS_SERVERS = responder.address;
      closeDns = responder.close;
    }
    const workerPorts = Array.from({ length: WORKERS }, (_, i) => WORKER_PORT + i);
    const workers = workerPorts.map((port) => startServer('dist/apps/worker/src/main.js', { ...env, ...stringValues(WORKER_SETTINGS), WORKER_PORT: String(port) }));
    children.push(...workers);
    for (const port of workerPorts) await waitReady(`http://127.0.0.1:${port}/health/ready`);

    for (const db of [pollDb, probeDb, monitorDb]) {
      await db.connect();
      // Keep the bench's own queries on one core each and out of the JIT's way.
      await db.query('SET max_parallel_workers_per_gather = 0; SET jit = off');
    }
    // The warm-up reports go through the workers first (which warms them too): the run starts empty.
    const warmUpStart = Date.now();
    const warmUpDeadline = warmUpStart + 300_000;
    let before = await counts(pollDb);
    while (before.attached < before.urls || before.queuedCases < before.cases) {
      if (Date.now() > warmUpDeadline) throw new Error(`workers did not drain the warm-up: ${JSON.stringify(before)}`);
      await sleep(250);
      before = await counts(pollDb);
    }
    const warmUp = { urls: before.urls, drainSeconds: round((Date.now() - warmUpStart) / 1000, 1) };

    // --- the measured run ---
    const t0 = Date.now();
    const since = () => (Date.now() - t0) / 1000;
    monitor = new ResourceMonitor(
      monitorDb,
      redis,
      database,
      prefix,
      () => ({
        intake: [intake.pid!],
        workers: workers.map((w) => w.pid!),
        redis: findPids('redis-server'),
        wrk: wrkPid ? [wrkPid] : [],
      }),
      t0,
    );
    await monitor.start();
    const loadStart = Date.now();
    let loadEnd: { t: number; run: WrkRun; counts: Counts } | null = null;
    let wrkError: Error | null = null;
    const load = wrk(intakeUrl, DURATION, (child) => (wrkPid = child.pid)).then(
      async (run) => {
        const t = (Date.now() - loadStart) / 1000;
        loadEnd = { t, run, counts: await counts(probeDb) };
      },
      (error: Error) => {
        wrkError = error;
      },
    );

    const timeline: (Counts & { t: number; queryMs: number })[] = [];
    const capSeconds = DURATION * CAP_FACTOR;
    let doneAt: number | null = null;
    let detectedAt: number | null = null;
    while (since() < capSeconds) {
      const started = Date.now();
      const c = await counts(pollDb);
      const queryMs = Date.now() - started;
      timeline.push({ t: round((started - loadStart) / 1000, 2), ...c, queryMs });
      if (wrkError) throw wrkError;
      const end = loadEnd as { run: WrkRun } | null;
      if (end && c.urls - before.urls >= end.run.requests - end.run.non2xx && c.attached === c.urls && c.queuedCases === c.cases) {
        if ((await probeDb.query(NOT_DONE)).rows[0].n === 0) {
          detectedAt = (started - loadStart) / 1000;
          // Every URL is unique, so each made its own case, queued and routed in the transaction
          // that created it: the newest case's created_at (its transaction's start, a few ms
          // before the commit) is when the last URL became a queued case, whatever the poll interval.
          const [{ last }] = (await probeDb.query(`SELECT (extract(epoch FROM max(created_at)) * 1000)::float8 AS last FROM "case"`)).rows;
          doneAt = Math.min(detectedAt, (last - loadStart) / 1000);
          break;
        }
      }
      await sleep(Math.max(POLL_MS - queryMs, (queryMs * (1 - POLL_DUTY)) / POLL_DUTY));
    }
    await load;
    if (wrkError) throw wrkError;
    const final = await counts(pollDb);
    // Then the hosting traces, which follow the cases in jobs of their own.
    let hostingAt: number | null = null;
    while (doneAt !== null && since() < capSeconds) {
      const [{ pending }] = (await probeDb.query(`SELECT count(*)::int AS pending FROM "case" WHERE hosting_status = 'pending'`)).rows;
      if (pending === 0) {
        hostingAt = (Date.now() - loadStart) / 1000;
        break;
      }
      await sleep(250);
    }
    const timings = await jobTimings(workerPorts);
    await monitor.stop();

    const end = loadEnd!;
    const accepted = end.run.requests - end.run.non2xx;
    const intakeSeconds = end.run.durationUs / 1e6;
    const urls = final.urls - before.urls;
    const attached = final.attached - before.attached;
    const pipelineSeconds = doneAt === null ? null : round(doneAt, 2);
    const elapsed = doneAt ?? since();
    const ratio = pipelineSeconds === null ? null : round(pipelineSeconds / intakeSeconds, 3);
    const intakeRate = urls / intakeSeconds;
    const pipelineRate = attached / elapsed;

    // The timeline once a second, with the resource sample of the same second.
    const perSecond: unknown[] = [];
    let previous = { t: 0, attached: before.attached, urls: before.urls };
    for (const sample of timeline) {
      const last = sample === timeline[timeline.length - 1];
      if (sample.t < perSecond.length + 1 && !last) continue;
      const resources = monitor.samples.reduce<ResourceSample | undefined>(
        (best, r) => (!best || Math.abs(r.t - sample.t) < Math.abs(best.t - sample.t) ? r : best),
        undefined,
      );
      const dt = Math.max(0.001, sample.t - previous.t);
      perSecond.push({
        t: sample.t,
        urls: sample.urls - before.urls,
        attached: sample.attached - before.attached,
        queuedCases: sample.queuedCases - before.queuedCases,
        notYetInCase: sample.urls - sample.attached,
        outboxPending: sample.outboxPending,
        reportedPerSecond: Math.round((sample.urls - previous.urls) / dt),
        attachedPerSecond: Math.round((sample.attached - previous.attached) / dt),
        pollQueryMs: sample.queryMs,
        bullmq: resources?.bullmq,
        cpuPercent: resources?.cpuPercent,
        dbSessions: resources?.dbSessions,
      });
      previous = sample;
    }
    const during = monitor.samples.filter((s) => s.t <= end.t);
    const after = monitor.samples.filter((s) => s.t > end.t);
    const meanCpu = (samples: ResourceSample[]) =>
      samples.length === 0
        ? null
        : Object.fromEntries(
            (Object.keys(samples[0].cpuPercent) as (keyof ResourceSample['cpuPercent'])[]).map((g) => [
              g,
              Math.round(samples.reduce((sum, s) => sum + s.cpuPercent[g], 0) / samples.length),
            ]),
          );
    const queryMs = timeline.map((s) => s.queryMs);

    const results = {
      benchmark: 'pipeline',
      date: new Date().toISOString(),
      criterion: `every reported URL a queued case within ${Math.round((KEPT_UP_RATIO - 1) * 100)}% more time than intake took`,
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
      settings: {
        durationSeconds: DURATION,
        connections: CONNECTIONS,
        uniqueUrls: true,
        loadGenerator: 'wrk -t2',
        warmUpSeconds: WARM_UP,
        warmUp,
        pollMs: POLL_MS,
        pollDutyMax: POLL_DUTY,
        capSeconds,
        workers: WORKERS,
        worker: WORKER_SETTINGS,
        intakeBatchMax: Number(process.env.INTAKE_BATCH_MAX ?? 256),
      },
      completed: doneAt !== null,
      keptUp: ratio !== null && ratio <= KEPT_UP_RATIO,
      intakeSeconds: round(intakeSeconds, 2),
      accepted,
      reportsPerSecond: round(accepted / intakeSeconds, 1),
      reportedUrls: urls,
      pipelineSeconds,
      /** When the poll saw it (pipelineSeconds comes from the last case's creation time). */
      detectedSeconds: detectedAt === null ? null : round(detectedAt, 2),
      ratio,
      /** Until every case had its hosting trace (polled every 250 ms), from the start of the load; null if not within the cap. */
      hostingSeconds: hostingAt === null ? null : round(hostingAt, 1),
      /** How much longer than intake the pipeline took (or, if it never finished, at least). */
      overrunSeconds: round((pipelineSeconds ?? elapsed) - intakeSeconds, 2),
      lagAtLoadEnd: {
        t: round(end.t, 2),
        urls: end.counts.urls - before.urls,
        notYetInCase: end.counts.urls - end.counts.attached,
        notYetPublished: end.counts.outboxPending,
        percentNotYetInCase: round(((end.counts.urls - end.counts.attached) / Math.max(1, end.counts.urls - before.urls)) * 100, 1),
      },
      pipelineUrlsPerSecond: round(pipelineRate, 1),
      pipelineUrlsPerSecondDuringLoad: round((end.counts.attached - before.attached) / end.t, 1),
      pipelineUrlsPerSecondAfterLoad: doneAt === null ? null : round((attached - (end.counts.attached - before.attached)) / Math.max(0.001, doneAt - end.t), 1),
      /** Pipeline throughput over intake throughput: below 1 it cannot keep up at any load length. */
      throughputRatio: round(pipelineRate / intakeRate, 3),
      // Not finished: how long it would take at the rate it went.
      projectedPipelineSeconds: doneAt === null ? round(urls / Math.max(0.001, pipelineRate), 1) : undefined,
      remainingAtCap: doneAt === null ? { notYetInCase: final.urls - final.attached, outboxPending: final.outboxPending } : undefined,
      intakeLatencyMs: Object.fromEntries(Object.entries(end.run.latencyUs).map(([k, v]) => [k, round(v / 1000, 1)])),
      intakeErrors: { non2xx: end.run.non2xx, socket: end.run.socketErrors, timeouts: end.run.timeouts },
      jobTimings: timings,
      cpuPercentMean: { duringLoad: meanCpu(during), afterLoad: meanCpu(after) },
      dbSessionsSampled: monitor.sessionTotals,
      pollQueryMs: { mean: round(queryMs.reduce((a, b) => a + b, 0) / Math.max(1, queryMs.length), 1), max: Math.max(...queryMs), polls: queryMs.length },
      timeline: perSecond,
    };
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    const text = `${JSON.stringify(results, null, 2)}\n`;
    const suffix = `${WORKERS === 1 ? '' : `-${WORKERS}workers`}${process.env.BENCH_DNS === 'down' ? '-dns-down' : ''}`;
    writeFileSync(join(ROOT, 'bench', 'results', `pipeline${suffix}-${results.date.slice(0, 10)}.json`), text);
    writeFileSync(join(ROOT, 'bench', 'results', `pipeline${suffix}-latest.json`), text);
    process.stdout.write(text);
    if (doneAt === null) {
      process.stderr.write(`pipeline bench: not every reported URL was a queued case after ${capSeconds} s (cap)\n`);
      process.exitCode = 1;
    }
  } finally {
    await monitor?.stop().catch(() => undefined);
    await Promise.all(children.map((child) => stopServer(child)));
    closeDns(); // an open socket would keep the bench from exiting
    for (const db of [pollDb, probeDb, monitorDb]) await db.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
    await deleteKeysWithPrefix(redis, prefix).catch((error) => process.stderr.write(`pipeline bench: could not delete Redis keys ${prefix}*: ${error.message}\n`));
    redis.disconnect();
  }
}

function stringValues(values: Record<string, string | number>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)]));
}

void main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
