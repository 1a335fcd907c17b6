import { SERIES_PERIODS, STAT_DIMENSIONS, STAT_METRICS } from '@hotline/domain';
import { ApiProperty } from '@nestjs/swagger';

export class StatsFigureView {
  @ApiProperty({ enum: STAT_METRICS })
  metric: (typeof STAT_METRICS)[number];

  @ApiProperty({ description: 'The number in ../shared/docs/DOMAIN.md "What regulators audit" (11: the extra figures)' })
  domain: number;

  @ApiProperty({ type: Number, nullable: true, description: 'Observations (see docs/statistics.md for what each metric counts); null when suppressed' })
  count: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Observations meeting the metric\u2019s test' })
  hits: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'hits / count (0..1)' })
  rate: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Observations whose clock stopped (behind median and p90)' })
  measured: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Median duration in seconds, within durationRelativeError; null with fewer than minCell durations' })
  median: number | null;

  @ApiProperty({ type: Number, nullable: true, description: '90th percentile in seconds, within durationRelativeError' })
  p90: number | null;

  @ApiProperty({ description: 'Fewer than minCell cases: nothing of the cell is shown' })
  suppressed: boolean;
}

export class ViewingView {
  @ApiProperty({ description: 'Days an analyst held cases open, summed over analysts' })
  analystDays: number;

  @ApiProperty({ description: 'Hours cases were held open (claim to the next status)' })
  hours: number;

  @ApiProperty({ type: Number, nullable: true })
  hoursPerAnalystDay: number | null;

  @ApiProperty({ description: 'The longest one analyst\u2019s day' })
  maxHours: number;

  @ApiProperty({ description: 'EXPOSURE_DAILY_LIMIT in hours' })
  capHours: number;

  @ApiProperty({ description: 'Analyst-days over the cap' })
  overCap: number;
}

/** Not a figure of a period: confirmed cases online now (as of the rollups' last event), from the count per hour of their latest confirmation. */
export class StillOnlineView {
  @ApiProperty({ type: Number, nullable: true, description: 'Confirmed cases not removed yet, now' })
  count: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Median seconds since their confirmation, counted from the start of its UTC hour (at most an hour more than the exact age)',
  })
  medianSeconds: number | null;

  @ApiProperty({ type: Number, nullable: true, description: '90th percentile, likewise' })
  p90Seconds: number | null;

  @ApiProperty({ type: Number, nullable: true })
  oldestSeconds: number | null;

  @ApiProperty()
  suppressed: boolean;
}

class StatsFrame {
  @ApiProperty({ format: 'date', description: 'First day (UTC)' })
  from: string;

  @ApiProperty({ format: 'date', description: 'Last day (UTC), included' })
  to: string;

  @ApiProperty({ description: 'STATS_MIN_CELL: cells of fewer cases are suppressed' })
  minCell: number;

  @ApiProperty({ description: 'Durations are read from log-bucketed histograms: within this relative error of the true value' })
  durationRelativeError: number;

  @ApiProperty({ description: 'The last case event the figures include' })
  throughEvent: string;
}

export class StatsSummaryView extends StatsFrame {
  @ApiProperty({ type: [StatsFigureView] })
  figures: StatsFigureView[];

  @ApiProperty({ type: ViewingView })
  viewing: ViewingView;
}

export class StatsBreakdownRowView extends StatsFigureView {
  @ApiProperty()
  value: string;
}

export class StatsBreakdownView extends StatsFrame {
  @ApiProperty({ enum: STAT_DIMENSIONS })
  by: (typeof STAT_DIMENSIONS)[number];

  @ApiProperty({ type: [StatsBreakdownRowView] })
  rows: StatsBreakdownRowView[];
}

export class StatsPointView {
  @ApiProperty({ format: 'date', description: 'First day of the period' })
  start: string;

  @ApiProperty({ type: [StatsFigureView] })
  figures: StatsFigureView[];

  @ApiProperty({ type: ViewingView })
  viewing: ViewingView;
}

export class StatsSeriesView extends StatsFrame {
  @ApiProperty({ enum: SERIES_PERIODS })
  period: (typeof SERIES_PERIODS)[number];

  @ApiProperty({ type: [StatsPointView] })
  points: StatsPointView[];
}
