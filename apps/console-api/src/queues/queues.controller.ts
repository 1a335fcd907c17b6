import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Requires } from '../staff-access/access.decorators';

export class ReviewQueueView {
  @ApiProperty({ example: 'urgent' })
  name: string;

  @ApiProperty()
  description: string;

  @ApiProperty({ description: 'Cases waiting to be claimed' })
  open: number;

  @ApiProperty({ description: 'How long the oldest waiting case has waited; 0 when none waits' })
  oldestAgeSeconds: number;
}

/** Analyst review queues: PostgreSQL rows, not BullMQ. */
@ApiTags('queues')
@ApiBearerAuth()
@Controller('api/v1/queues')
export class QueuesController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @Requires('queues.read')
  @ApiOkResponse({ type: [ReviewQueueView] })
  async list(): Promise<ReviewQueueView[]> {
    const rows: { name: string; description: string; open: number; oldest: number | null }[] = await this.dataSource.query(
      `SELECT q.name, q.description, count(c.id)::int AS open,
              floor(extract(epoch FROM now() - min(c.queued_at)))::int AS oldest
         FROM review_queue q LEFT JOIN "case" c ON c.queue = q.name AND c.status = 'queued'
        GROUP BY q.name, q.description ORDER BY q.name`,
    );
    return rows.map((row) => ({ name: row.name, description: row.description, open: row.open, oldestAgeSeconds: Math.max(0, row.oldest ?? 0) }));
  }
}
