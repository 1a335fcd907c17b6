import { Controller, Get, Headers, Param } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ReportStatusDto } from './report.dto';
import { ReportIntakeService } from './report-intake.service';

const PROBLEM = { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDto' } } };

/** Status look-ups. Submissions are served by ReportSubmissionRoute (ADR 0004). */
@ApiTags('reports')
@Controller('api/v1/reports')
export class ReportsController {
  constructor(private readonly intake: ReportIntakeService) {}

  @Get(':reference/status')
  @ApiOperation({ summary: 'Status of a report, for the holder of its status token' })
  @ApiHeader({ name: 'X-Status-Token', required: true })
  @ApiOkResponse({ type: ReportStatusDto })
  @ApiResponse({ status: 404, description: 'Unknown reference or wrong token (indistinguishable)', content: PROBLEM })
  status(@Param('reference') reference: string, @Headers('x-status-token') token: string | undefined): Promise<ReportStatusDto> {
    return this.intake.status(reference, token);
  }
}
