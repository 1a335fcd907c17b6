import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Language, negotiateLanguage } from './i18n';
import { FORBIDDEN_PROPERTY, reservedNameProblem } from './hostile-body';
import { PROBLEM_STATUS, ProblemException, ProblemKind, renderProblem } from './problem';

const LANGUAGE = Symbol('hotline.language');
const WORDING = Symbol('hotline.problem-wording');

/**
 * Problem kinds a route answers in words of its own instead (e.g. the partner exchange endpoint:
 * partners are not reporters), whatever raised them: body parsing and limits included.
 */
export type ProblemWording = Readonly<Partial<Record<ProblemKind, ProblemKind>>>;

/** Remembers the language a request asked for (e.g. its body's `language`) for its errors. */
export function setRequestLanguage(request: FastifyRequest, language: Language): void {
  (request as unknown as Record<symbol, Language>)[LANGUAGE] = language;
}

/** Sets the wording of a request's problems; call it before the body is read (an onRequest hook). */
export function setProblemWording(request: FastifyRequest, wording: ProblemWording): void {
  (request as unknown as Record<symbol, ProblemWording>)[WORDING] = wording;
}

function reworded(problem: ProblemException, request: FastifyRequest): ProblemException {
  const wording = (request as unknown as Record<symbol, ProblemWording | undefined>)[WORDING];
  const kind = wording?.[problem.kind];
  return kind ? new ProblemException(kind, problem.details) : problem;
}

export function requestLanguage(request: FastifyRequest): Language {
  return (request as unknown as Record<symbol, Language | undefined>)[LANGUAGE] ?? negotiateLanguage({ acceptLanguage: request.headers['accept-language'] });
}

const STATUS_KIND: Record<number, ProblemKind> = {
  400: 'bad_request',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'unavailable',
};

/** Maps anything thrown to a problem kind; unknown failures become `internal`. */
export function toProblem(error: unknown): ProblemException {
  if (error instanceof ProblemException) return error;
  // Domain errors that are the caller's to retry say which problem they are (libs/domain and
  // libs/persistence know nothing of HTTP): a case that changed under a request is a 409.
  const kind = (error as { problemKind?: unknown } | null)?.problemKind;
  if (typeof kind === 'string' && Object.hasOwn(PROBLEM_STATUS, kind)) return new ProblemException(kind as ProblemKind);
  if (error instanceof HttpException) {
    // Nest's form parser refuses a top-level `__proto__` field (forms are flat) with these words.
    if (error.getStatus() === 400 && FORBIDDEN_PROPERTY.test(error.message)) return reservedNameProblem('__proto__', '__proto__');
    // Nest wraps Fastify's own errors (body parsing) in an HttpException; the cause says which.
    if (error.cause && typeof error.cause === 'object' && 'code' in error.cause) return toProblem(error.cause);
    return new ProblemException(STATUS_KIND[error.getStatus()] ?? (error.getStatus() < 500 ? 'bad_request' : 'internal'));
  }
  const fastifyError = error as Partial<FastifyError> & { type?: string };
  // Fastify's body-parsing errors, as Nest hands them over (see the HttpException case).
  if (fastifyError && typeof fastifyError === 'object') {
    if (fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return new ProblemException('unsupported_media_type', { params: { expected: 'application/json' } });
    if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new ProblemException('payload_too_large', { params: { limit: '64 KiB' } });
    if (
      fastifyError.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
      fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
      (error instanceof SyntaxError && fastifyError.statusCode === 400)
    ) {
      return new ProblemException('malformed_json');
    }
    const status = fastifyError.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) return new ProblemException(STATUS_KIND[status] ?? 'bad_request');
  }
  return new ProblemException('internal');
}

/** Answers any error as problem+json in the request's language; unexpected ones are logged. */
export function replyWithProblem(error: unknown, request: FastifyRequest, reply: FastifyReply, logger: Logger): void {
  const problem = reworded(toProblem(error), request);
  const rendered = renderProblem(problem, problem.details.language ?? requestLanguage(request));
  if (problem.kind === 'internal') {
    logger.error({ err: error, errorId: rendered.body.errorId }, 'unexpected error');
  }
  void reply.status(rendered.status).headers(rendered.headers).send(rendered.body);
}

/** Every error from a Nest handler, guard or pipe leaves as problem+json in the request's language. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    replyWithProblem(exception, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), this.logger);
  }
}
