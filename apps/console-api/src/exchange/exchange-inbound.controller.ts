import { ProblemException } from '@hotline/http';
import { Public } from '@hotline/observability';
import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiHeader,
  ApiPayloadTooLargeResponse,
  ApiProperty,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ExchangeInboundService } from './exchange-inbound.service';
import { signedExchangeRequest } from './raw-body';

export class ExchangeReceipt {
  @ApiProperty({ description: 'The messageId of the message received' })
  messageId: string;

  @ApiProperty({ enum: [true] })
  received: true;
}

/**
 * The one endpoint partner hotlines call (docs/exchange-protocol.md). No staff token: the request
 * is signed with the partner's key (X-Hotline-* headers, Content-Digest), checked before its body
 * is parsed (ExchangeRawBody), so what reaches the handler is a partner's.
 */
@ApiTags('exchange')
@Controller('api/v1/exchange')
export class ExchangeInboundController {
  constructor(private readonly inbound: ExchangeInboundService) {}

  @Post('messages')
  @Public()
  @HttpCode(202)
  @ApiHeader({ name: 'X-Hotline-Key-Id', required: true, description: "The sender's key id" })
  @ApiHeader({ name: 'X-Hotline-Timestamp', required: true, description: 'Seconds since the epoch, UTC' })
  @ApiHeader({ name: 'X-Hotline-Nonce', required: true, description: '16-64 characters [A-Za-z0-9_-], never reused' })
  @ApiHeader({ name: 'Content-Digest', required: true, description: 'sha-256=:<base64 SHA-256 of the body>:' })
  @ApiHeader({ name: 'X-Hotline-Signature', required: true, description: 'base64 Ed25519 signature of the signing string' })
  @ApiBody({ description: 'case.forward, case.ack or case.status', schema: { type: 'object', required: ['messageId', 'type', 'sentAt'] } })
  @ApiAcceptedResponse({ type: ExchangeReceipt, description: 'Stored (or received before: same answer, nothing changed)' })
  @ApiBadRequestResponse({ description: 'The message is not valid JSON or not valid (problem+json); checked after the signature' })
  @ApiUnauthorizedResponse({
    description: 'Unknown or disabled key, bad digest or signature, stale timestamp or replayed nonce (problem+json); checked before the body is parsed',
  })
  @ApiPayloadTooLargeResponse({ description: 'Body larger than 64 KiB (problem+json)' })
  receive(@Req() request: FastifyRequest): Promise<ExchangeReceipt> {
    const signed = signedExchangeRequest(request);
    if (signed === null) throw new ProblemException('internal');
    return this.inbound.receive(signed.sender, signed.body);
  }
}
