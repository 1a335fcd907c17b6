import { HotlineConfig, type StatsRules, statsRules } from '@hotline/config';
import { eventsByCase, rollupCells, rollupDelta } from '@hotline/domain';
import { MetricsRegistry } from '@hotline/observability';
import { type GapSighting, gapPassage, nextGapSighting, StatsRepository } from '@hotline/persistence';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PeriodicRun } from '../schedules/periodic-run';

/** How often the rollups take in new case events: a regulator's figures are at most this late (plus a round). */
export const STATS_ROLLUP_EVERY_MS = 5_000;
// Case events read per transaction; a backlog takes several rounds.
const BATCH = 2_000;
/** As the feedback scan: a gap no transaction can be shown not to hold is passed after this long, loudly. */
export const STATS_GAP_BOUND_MS = 600_000;

/**
 * Keeps the regulators' rollups (stats_rollup, stats_viewing, stats_viewing_day, stats_online) up to date with the case events:
 * each round reads the events past the cursor, recomputes every touched case's observations with
 * and without them (observations are a pure function of a case's events), and adds the
 * difference, then moves the cursor, in one transaction. A backfill or check holds the rollups'
 * lock meanwhile and the round is skipped; so is one while another worker's round runs.
 */
@Injectable()
export class StatsRollupService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(StatsRollupService.name);
  private readonly rules: StatsRules;
  /** Whether this worker has recounted the days counted against another viewing cap (StatsRepository.recountViewingCap). */
  private capRecounted = false;
  private readonly eventsApplied;
  private readonly gapsSkipped;
  private sighting: GapSighting | null = null;
  private readonly schedule = new PeriodicRun(
    () => this.roll(),
    (error) => this.log.warn(`statistics rollup failed: ${error.message}`),
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly stats: StatsRepository,
    config: HotlineConfig,
    metrics: MetricsRegistry,
  ) {
    this.rules = statsRules(config);
    this.eventsApplied = metrics.counter('hotline_stats_events_applied_total', 'Case events taken into the regulators’ rollups');
    this.gapsSkipped = metrics.counter(
      'hotline_stats_gaps_skipped_total',
      'Gaps in the case event ids the rollups passed after STATS_GAP_BOUND_MS without knowing no transaction held them',
    );
  }

  onApplicationBootstrap(): void {
    this.schedule.start(STATS_ROLLUP_EVERY_MS);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.schedule.stop();
  }

  /** Takes in every event that can be passed by now; how many. */
  async roll(): Promise<number> {
    let applied = 0;
    for (;;) {
      const round = await this.round();
      if (!round) break;
      applied += round.applied;
      if (!round.more || this.schedule.stopping) break;
    }
    return applied;
  }

  private async round(): Promise<{ applied: number; more: boolean } | null> {
    const result = await this.dataSource.transaction(async (tx) => {
      if (!(await this.stats.tryLockForRound(tx))) return null;
      // Once per start: EXPOSURE_DAILY_LIMIT may have changed since the days were counted.
      const recounted = this.capRecounted ? 0 : await this.stats.recountViewingCap(tx, this.rules.viewingCapMs);
      const passage = gapPassage(this.sighting, await this.stats.otherTransactions(tx), STATS_GAP_BOUND_MS);
      const batch = await this.stats.scanBatch(tx, { limit: BATCH, passGapsThrough: passage.pass ? passage.through : null });
      const sighting = nextGapSighting(passage.pass ? null : this.sighting, batch);
      const skipped = passage.pass && passage.by === 'bound' ? batch.gapsPassed : 0;
      if (batch.through === null) return { applied: 0, more: false, sighting, skipped, recounted };
      const events = await this.stats.eventsOfCases(tx, batch.caseIds, batch.through);
      const delta = rollupDelta(eventsByCase(events).values(), Number(batch.from), this.rules);
      await this.stats.addCells(tx, [...rollupCells(delta.cells.values()).values()]);
      await this.stats.addViewing(
        tx,
        [...delta.viewing]
          .filter(([, seconds]) => seconds !== 0)
          .map(([key, seconds]) => ({ day: key.slice(0, 10), staffId: key.slice(11), ms: Math.round(seconds * 1000) })),
        this.rules.viewingCapMs,
      );
      await this.stats.addOnline(
        tx,
        [...delta.online].filter(([, n]) => n !== 0).map(([since, n]) => ({ since, n })),
      );
      await this.stats.moveCursor(tx, batch.through);
      return { applied: batch.passed, more: batch.read === BATCH, sighting, skipped, recounted };
    });
    if (!result) return null;
    this.sighting = result.sighting;
    if (!this.capRecounted && result.recounted > 0) this.log.log(`counted the analyst-days over EXPOSURE_DAILY_LIMIT again for ${result.recounted} day(s)`);
    this.capRecounted = true;
    if (result.skipped > 0) {
      // An event that commits in such a gap later is not in the rollups: stats:check would name the cells, stats:backfill repairs them.
      this.log.warn(
        `statistics rollup passed ${result.skipped} case event id gap(s) after ${STATS_GAP_BOUND_MS} ms without knowing no transaction held them: run stats:check, and stats:backfill if it finds differences`,
      );
      this.gapsSkipped.inc(result.skipped);
    }
    this.eventsApplied.inc(result.applied);
    return { applied: result.applied, more: result.more };
  }
}
