import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Requires } from '../staff-access/access.decorators';
import { ReviewQueuesService } from './review-queues.service';

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
  constructor(private readonly queues: ReviewQueuesService) {}

  @Get()
  @Requires('queues.read')
  @ApiOkResponse({ type: [ReviewQueueView] })
  list(): Promise<ReviewQueueView[]> {
    return this.queues.overview();
  }
}
