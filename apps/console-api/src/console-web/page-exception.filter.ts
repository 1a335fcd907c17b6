import { HotlineConfig } from '@hotline/config';
import { html, renderProblem, toProblem } from '@hotline/http';
import { ArgumentsHost, Catch, ExceptionFilter, Injectable, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ct } from './i18n';
import { pageContext } from './layout';
import { PASSWORD_PAGE, PasswordChangeRequired, SignInRequired } from './page-access';
import { pageReply } from './page-reply';

/**
 * Errors of console pages as pages: no session sends the browser to sign in (and back), a user
 * who must first choose their own password to the password page, a role
 * that may not see the page gets a page saying so (the refusal is already audited by the guard),
 * anything else its problem's title and detail in the user's language.
 */
@Catch()
@Injectable()
export class PageExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ConsolePage');

  constructor(private readonly config: HotlineConfig) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    if (exception instanceof SignInRequired) {
      void reply
        .status(303)
        .header('location', `/login?next=${encodeURIComponent(exception.returnTo)}`)
        .header('cache-control', 'no-store')
        .send();
      return;
    }
    if (exception instanceof PasswordChangeRequired) {
      void reply.status(303).header('location', PASSWORD_PAGE).header('cache-control', 'no-store').send();
      return;
    }
    sendProblemPage(request, reply, this.config, exception, this.logger);
  }
}

/**
 * A refusal or error as a console page (403 "not for your role", 404, else the problem's title
 * and detail) in the user's language; unexpected errors are logged. Also used by the queue
 * dashboard, whose routes are Fastify's and not behind this filter.
 */
export function sendProblemPage(request: FastifyRequest, reply: FastifyReply, config: HotlineConfig, exception: unknown, logger: Logger): void {
  const ctx = pageContext(request, config);
  const problem = toProblem(exception);
  const rendered = renderProblem(problem, ctx.lang);
  if (problem.kind === 'internal') logger.error({ err: exception, errorId: rendered.body.errorId }, 'unexpected error on a console page');
  const [title, detail] =
    problem.kind === 'forbidden'
      ? [ct(ctx.lang, 'error.forbidden.title'), ct(ctx.lang, 'error.forbidden.detail')]
      : rendered.status === 404
        ? [ct(ctx.lang, 'error.notFound.title'), ct(ctx.lang, 'error.notFound.detail')]
        : [rendered.body.title, rendered.body.detail];
  const body = html`<div class="panel" role="alert">
    <p>${detail}</p>
    ${
      rendered.body.errors
        ? html`<ul>
            ${rendered.body.errors.map((e) => html`<li><code>${e.field}</code>: ${e.message}</li>`)}
          </ul>`
        : ''
    }
    <p><a href="/">${ct(ctx.lang, 'error.back')}</a></p>
  </div>`;
  void reply.send(pageReply(reply, ctx, { title, body }, rendered.status));
}
