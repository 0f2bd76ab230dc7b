import Fastify from 'fastify';
import { edgeApp } from './app.js';
import { loadFacilityControlConfig } from './bays/facility-control.config.js';
import { ConfigError, loadConfig } from './config.js';

/** Builds Fastify, registers the edge app and listens; nothing else (the app is testable alone). */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  let control: ReturnType<typeof loadFacilityControlConfig>;
  try {
    // The one place that reads the environment (DESIGN.md decision 10).
    config = loadConfig(process.env);
    control = loadFacilityControlConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  const app = Fastify({ logger: { level: config.logLevel } });
  await app.register(edgeApp, { config, facilityControl: { control } });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      app.log.info({ signal }, 'shutting down');
      void app.close().then(() => process.exit(0));
    });
  }
  await app.listen({ port: config.port, host: config.host });
}

void main();
