import { AuditLog } from '@hotline/audit';
import { generateExchangeKeyPair, PartnerDirectory, storeOutgoingMessage } from '@hotline/exchange';
import { withCorrelationId } from '@hotline/observability';
import { QueueName, QueueRegistry } from '@hotline/queue';
import { FieldEncryption } from '@hotline/security';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Job } from 'bullmq';
import { load as loadYaml } from 'js-yaml';
import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createConsoleApp } from '../../apps/console-api/src/console-app';
import { createIntakeApp } from '../../apps/intake-api/src/intake-app';
import { PartnerDeliveryWorkers } from '../../apps/worker/src/exchange/partner-delivery-workers.service';
import { createWorkerApp } from '../../apps/worker/src/worker-app';
import { testConfig } from '../support/config';
import { connectDatabase } from '../support/database';
import { waitFor } from '../support/wait';

const DOCKER = join(__dirname, '..', '..', 'docker');
const tag = randomBytes(3).toString('hex');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The metric names a PromQL expression reads (ours are all `hotline_*`; `up` is Prometheus's own). */
function metricNames(expr: string): string[] {
  return [...expr.matchAll(/\b(hotline_[a-z0-9_]+|up)\b(?!\s*\()/g)].map((match) => match[1]);
}

/** The metric families of a Prometheus text exposition (`# TYPE <name> <type>`). */
function families(exposition: string): Map<string, string> {
  return new Map([...exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((match) => [match[1], match[2]]));
}

/** Whether `name` is a family, or a histogram's series (`_bucket`, `_sum`, `_count`) of one. */
function exposed(name: string, known: Map<string, string>): boolean {
  if (name === 'up' || known.has(name)) return true;
  const family = name.replace(/_(bucket|sum|count)$/, '');
  return family !== name && ['histogram', 'summary'].includes(known.get(family) ?? '');
}

/** Every expression of the Grafana dashboard's panels. */
function dashboardExprs(): string[] {
  const dashboard = JSON.parse(readFileSync(join(DOCKER, 'grafana', 'dashboards', 'hotline.json'), 'utf8'));
  const panels: any[] = dashboard.panels.flatMap((panel: any) => [panel, ...(panel.panels ?? [])]);
  return panels.flatMap((panel) => (panel.targets ?? []).map((target: any) => String(target.expr)));
}

/**
 * Operations (issue 13): /metrics of the three apps holds every metric the Grafana dashboard and
 * the Prometheus alerts name (so they cannot drift apart), the Prometheus files are valid, and a
 * request's id follows its work: X-Request-Id, the outbox row, the job, the exchange message.
 */
describe('operations: metrics, dashboards and correlation ids', () => {
  let intake: NestFastifyApplication;
  let consoleApp: NestFastifyApplication;
  let worker: NestFastifyApplication;
  let db: Client;
  let partner: Server;
  const delivered: IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    const overrides = { OUTBOX_POLL_MS: '20', EXCHANGE_ATTEMPTS: '2', EXCHANGE_BACKOFF: '100ms' };
    intake = await createIntakeApp(testConfig(overrides));
    consoleApp = await createConsoleApp(testConfig(overrides));
    worker = await createWorkerApp(testConfig(overrides));
    db = await connectDatabase();
    // A partner hotline on loopback that takes every message and keeps its headers.
    partner = createServer((req, res) => {
      delivered.push(req.headers);
      req.resume();
      req.on('end', () => res.writeHead(202).end());
    });
    await new Promise<void>((resolve) => partner.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    await worker?.close();
    await consoleApp?.close();
    await intake?.close();
    await db?.end();
    await new Promise((resolve) => partner?.close(resolve));
  });

  /** The newest jobs of a queue (any state) whose data names `id` under `field`. */
  async function jobNaming(queue: string, field: string, id: string): Promise<Job | undefined> {
    const jobs = await worker.get(QueueRegistry).get(queue).getJobs(['completed', 'active', 'waiting', 'prioritized', 'delayed', 'failed'], 0, 500, false);
    return jobs.find((job) => Array.isArray(job?.data?.[field]) && job.data[field].includes(id));
  }

  it("answers every request with its id; the public side never takes the caller's", async () => {
    const chosen = `proxy-chosen-${tag}-0001`;
    const live = await request(intake.getHttpServer()).get('/health/live').set('X-Request-Id', chosen);
    expect(live.headers['x-request-id']).toMatch(UUID);
    // A proxy's id on the public side would join our rows to its access log, which holds the reporter's address.
    expect(live.headers['x-request-id']).not.toBe(chosen);
    const staff = await request(consoleApp.getHttpServer()).get('/health/live').set('X-Request-Id', chosen);
    expect(staff.headers['x-request-id']).toBe(chosen);
    const malformed = await request(consoleApp.getHttpServer()).get('/health/live').set('X-Request-Id', '203.0.113.7 /cases?x=1');
    expect(malformed.headers['x-request-id']).toMatch(UUID);
    const refused = await request(intake.getHttpServer())
      .post('/api/v1/reports')
      .send({ urls: ['http://localhost/'] });
    expect(refused.status).toBe(400);
    expect(refused.headers['x-request-id']).toMatch(UUID);
  });

  it("carries a report's request id into its outbox rows and the job made of them", async () => {
    const response = await request(intake.getHttpServer())
      .post('/api/v1/reports')
      .send({ urls: [`http://ops-${tag}.example.com/a`, `http://ops-${tag}.example.com/b`] });
    expect(response.status).toBe(201);
    const requestId = response.headers['x-request-id'];
    expect(requestId).toMatch(UUID);

    const { rows } = await db.query(
      `SELECT u.id::text AS url_id, o.correlation_id FROM report r JOIN reported_url u ON u.report_id = r.id
         JOIN outbox o ON o.message_key = u.id::text WHERE r.reference = $1 ORDER BY u.position`,
      [response.body.reference],
    );
    expect(rows).toHaveLength(2);
    expect(rows.map((row) => row.correlation_id)).toEqual([requestId, requestId]);

    const job = await waitFor(() => jobNaming(QueueName.ReportedUrls, 'reportedUrlIds', rows[0].url_id), { what: 'the triage job of the report' });
    expect(job.data.correlationIds).toContain(requestId);
    // Ids only: the correlation ids are tokens, never an address, a URL or a body.
    expect(job.data.correlationIds.every((id: string) => /^[A-Za-z0-9-]{8,64}$/.test(id))).toBe(true);
    expect(JSON.stringify(job.data)).not.toContain(`ops-${tag}`);
  });

  it('sends an exchange message with the correlation id of the work that made it', async () => {
    const directory = new PartnerDirectory(consoleApp.get(DataSource), new FieldEncryption(testConfig().fieldEncryptionKeys), consoleApp.get(AuditLog));
    const added = await directory.add(
      {
        name: `ops-partner-${tag}`,
        // No other test routes cases to Tuvalu.
        countries: ['TV'],
        baseUrl: `http://127.0.0.1:${(partner.address() as AddressInfo).port}`,
        theirPublicKey: generateExchangeKeyPair().publicKey,
        rateLimitPerMinute: 600,
      },
      { id: null, role: 'cli' },
    );
    const correlationId = randomUUID();
    await db.query('BEGIN');
    const stored = await withCorrelationId(correlationId, () =>
      storeOutgoingMessage(db, { partnerId: added.id, caseId: null, type: 'case.status', body: { reference: `ops-${tag}`, status: 'removed' } }),
    );
    await db.query('COMMIT');
    await worker.get(PartnerDeliveryWorkers).refresh();

    const headers = await waitFor(async () => delivered.find((h) => h['x-correlation-id'] === correlationId), { what: 'the delivery to the partner' });
    expect(headers['x-hotline-signature']).toBeDefined();
    const [message] = (await db.query(`SELECT correlation_id FROM exchange_message WHERE id = $1`, [stored.rowId])).rows;
    expect(message.correlation_id).toBe(correlationId);
    const [outbox] = (await db.query(`SELECT correlation_id FROM outbox WHERE topic = 'exchange.message' AND message_key = $1`, [stored.rowId])).rows;
    expect(outbox.correlation_id).toBe(correlationId);
    const dispatch = await waitFor(() => jobNaming(QueueName.ExchangeDispatch, 'messageIds', stored.rowId), { what: 'the dispatch job' });
    expect(dispatch.data.correlationIds).toEqual([correlationId]);
    await directory.disable(added.name, { id: null, role: 'cli' });
  });

  it('exposes every metric the dashboard and the alerts name, in some app', async () => {
    const expositions = await Promise.all([intake, consoleApp, worker].map(async (app) => (await request(app.getHttpServer()).get('/metrics')).text));
    const known = new Map(expositions.flatMap((text) => [...families(text)]));
    // The traffic of the tests above, as the dashboard reads it.
    expect(expositions[0]).toMatch(/^hotline_intake_submissions_total\{channel="api",outcome="accepted",app="intake-api"\} [1-9]/m);
    expect(expositions[0]).toMatch(/^hotline_intake_submissions_total\{channel="api",outcome="invalid",app="intake-api"\} [1-9]/m);
    expect(expositions[2]).toMatch(/^hotline_jobs\{queue="reported-urls",state="waiting",app="worker"\} \d+/m);
    expect(expositions[2]).toMatch(/^hotline_dead_letters\{queue="mail",app="worker"\} \d+/m);
    // Route patterns only: no reported URL (nor any path's values) becomes a label.
    expect(expositions.join('\n')).not.toContain(`ops-${tag}.example`);

    const alerts = loadYaml(readFileSync(join(DOCKER, 'prometheus', 'alerts.yml'), 'utf8')) as { groups: { rules: { alert: string; expr: string }[] }[] };
    const alertExprs = alerts.groups.flatMap((group) => group.rules.map((rule) => String(rule.expr)));
    const dashboard = dashboardExprs();
    expect(dashboard.length).toBeGreaterThan(15);
    const named = [...new Set([...dashboard, ...alertExprs].flatMap(metricNames))];
    expect(named.length).toBeGreaterThan(20);
    expect(named.filter((name) => !exposed(name, known))).toEqual([]);
  });

  it('has a Prometheus configuration and rules that scrape the three apps and check with promtool', () => {
    const config = loadYaml(readFileSync(join(DOCKER, 'prometheus', 'prometheus.yml'), 'utf8')) as any;
    const compose = loadYaml(readFileSync(join(DOCKER, 'compose.yaml'), 'utf8')) as any;
    const targets = config.scrape_configs.flatMap((job: any) => job.static_configs.flatMap((c: any) => c.targets));
    expect(targets.sort()).toEqual(['console-api:3001', 'intake-api:3000', 'worker:3002']);
    for (const target of targets) expect(Object.keys(compose.services)).toContain(target.split(':')[0]);
    expect(compose.services.prometheus.volumes).toContain('./prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro');
    expect(config.rule_files).toEqual(['/etc/prometheus/alerts.yml']);

    const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
    if (promtool.error) {
      // Not installed here (apt-get install prometheus provides it): the checks above still ran.
      console.warn('promtool is not installed: prometheus.yml and alerts.yml were parsed and their metric names checked, but not checked by promtool');
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'hotline-promtool-'));
    try {
      // The rules where the config names them in the container, here: in the same directory.
      writeFileSync(join(dir, 'alerts.yml'), readFileSync(join(DOCKER, 'prometheus', 'alerts.yml')));
      writeFileSync(
        join(dir, 'prometheus.yml'),
        readFileSync(join(DOCKER, 'prometheus', 'prometheus.yml'), 'utf8').replace('/etc/prometheus/alerts.yml', join(dir, 'alerts.yml')),
      );
      const checkConfig = spawnSync('promtool', ['check', 'config', join(dir, 'prometheus.yml')], { encoding: 'utf8' });
      expect({ status: checkConfig.status, output: checkConfig.stdout + checkConfig.stderr }).toMatchObject({ status: 0 });
      const checkRules = spawnSync('promtool', ['check', 'rules', join(dir, 'alerts.yml')], { encoding: 'utf8' });
      expect({ status: checkRules.status, output: checkRules.stdout + checkRules.stderr }).toMatchObject({ status: 0 });
      expect(checkRules.stdout).toMatch(/SUCCESS: [1-9]\d* rules found/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
