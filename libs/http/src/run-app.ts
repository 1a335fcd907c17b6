import { ConfigError, HotlineConfig, loadConfig } from '@hotline/config';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * Process entry for an HTTP app: load and validate config (a bad variable stops start-up with one
 * line naming it), build, listen; SIGINT/SIGTERM close it gracefully (enableShutdownHooks).
 */
export async function runApp(name: string, create: (config: HotlineConfig) => Promise<NestFastifyApplication>, port: (config: HotlineConfig) => number): Promise<void> {
  let config: HotlineConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${name}: ${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  try {
    const app = await create(config);
    for (const secret of config.generatedSecrets) Logger.warn(`using generated ${secret}; set it in production`, name);
    await app.listen({ port: port(config), host: config.bindAddress });
    Logger.log(`${name} listening on http://${config.bindAddress}:${port(config)}`, name);
  } catch (error) {
    Logger.error(`${name} failed to start: ${(error as Error).message}`, (error as Error).stack, name);
    process.exit(1);
  }
}
