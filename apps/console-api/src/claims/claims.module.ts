import { AuditLog } from '@hotline/audit';
import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CaseLeasesService } from './case-leases.service';
import { ClaimsController } from './claims.controller';

/**
 * Claims on cases and the exposure limit. The console's guard, audit interceptor and body pipe
 * are app-wide, so they cover these routes too. AuditLog keeps no state (appends serialise on an
 * advisory lock), so an instance of its own here is the same log.
 */
@Module({
  controllers: [ClaimsController],
  exports: [CaseLeasesService],
  providers: [CaseLeasesService, { provide: AuditLog, inject: [DataSource], useFactory: (dataSource: DataSource) => new AuditLog(dataSource) }],
})
export class ClaimsModule {}
