import { SetMetadata } from '@nestjs/common';

/**
 * Marks a controller or route as open without a staff token. The staff API denies every route
 * by default; health, metrics and login are the only ones marked. (It lives here, beside the
 * health and metrics controllers, because every app's HTTP layer already depends on this lib.)
 */
export const PUBLIC_ROUTE = 'hotline:public-route';
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
