import { negotiateLanguage, ProblemException, setRequestLanguage } from '@hotline/http';
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ReportRateLimitGuard } from '../rate-limit/report-rate-limit.guard';
import { ProblemDto, ReportReceiptDto, ReportStatusDto, SubmitReportDto } from './report.dto';
import { ReportIntakeService } from './report-intake.service';
import { validateReport } from './report-validation';

const PROBLEM = { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDto' } } };

@ApiTags('reports')
@Controller('api/v1/reports')
export class ReportsController {
  constructor(private readonly intake: ReportIntakeService) {}

  @Post()
  @HttpCode(201)
  @UseGuards(ReportRateLimitGuard)
  @ApiOperation({ summary: 'Report web addresses anonymously', description: 'Answers 201 only after the report is committed.' })
  @ApiBody({ type: SubmitReportDto })
  @ApiCreatedResponse({ type: ReportReceiptDto })
  @ApiResponse({ status: 400, description: 'Malformed JSON or invalid fields (unknown fields included)', content: PROBLEM, type: ProblemDto })
  @ApiResponse({ status: 413, description: 'Body larger than 64 KiB', content: PROBLEM })
  @ApiResponse({ status: 415, description: 'Not application/json', content: PROBLEM })
  @ApiResponse({ status: 429, description: 'Too many reports from this client; see Retry-After', content: PROBLEM })
  @ApiResponse({ status: 503, description: 'Storage unavailable; nothing was saved; see Retry-After', content: PROBLEM })
  async submit(@Req() request: FastifyRequest, @Body() body: unknown): Promise<ReportReceiptDto> {
    if (!isJson(request.headers['content-type'])) {
      throw new ProblemException('unsupported_media_type', { params: { expected: 'application/json' } });
    }
    const explicit = body && typeof body === 'object' ? (body as { language?: unknown }).language : undefined;
    const language = negotiateLanguage({ explicit, acceptLanguage: request.headers['accept-language'] });
    setRequestLanguage(request, language);
    return this.intake.submit(validateReport(body, language), 'public_api', language);
  }

  @Get(':reference/status')
  @ApiOperation({ summary: 'Status of a report, for the holder of its status token' })
  @ApiHeader({ name: 'X-Status-Token', required: true })
  @ApiOkResponse({ type: ReportStatusDto })
  @ApiResponse({ status: 404, description: 'Unknown reference or wrong token (indistinguishable)', content: PROBLEM })
  status(@Param('reference') reference: string, @Headers('x-status-token') token: string | undefined): Promise<ReportStatusDto> {
    return this.intake.status(reference, token);
  }
}

function isJson(contentType: string | undefined): boolean {
  return typeof contentType === 'string' && /^application\/json\s*(;|$)/i.test(contentType);
}
