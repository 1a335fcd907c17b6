import { applyDecorators, SetMetadata, UseFilters } from '@nestjs/common';
import { CONSOLE_PAGE } from './page-access';
import { PageExceptionFilter } from './page-exception.filter';

/**
 * A controller of console pages (HTML for browsers): without a session a GET goes to the sign-in
 * page, and refusals and errors are pages in the user's language, not problem+json.
 */
export const ConsolePages = () => applyDecorators(SetMetadata(CONSOLE_PAGE, true), UseFilters(PageExceptionFilter));
