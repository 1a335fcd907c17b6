import { HotlineConfig } from '@hotline/config';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrations } from './data-source';

/** The PostgreSQL connection of an app. Pending migrations are applied at start-up, under a lock. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [HotlineConfig],
      useFactory: (config: HotlineConfig) => dataSourceOptions(config),
      dataSourceFactory: async (options) => {
        const dataSource = await new DataSource(options!).initialize();
        await runMigrations(dataSource);
        return dataSource;
      },
    }),
  ],
})
export class PersistenceModule {}
