import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import { type EdgeAppOptions, edgeApp } from './app.js';
import { type FacilityControlConfig, facilityControlConfig } from './bays/facility-control.config.js';
import { ConfigError, type EdgeConfig, edgeConfig, parseEdgeEnv } from './config.js';

export interface EdgeServerOptions {
  config: EdgeConfig;
  control: FacilityControlConfig;
  now?: () => number;
  /** Broker port override and timers (EdgeAppOptions.facilityControl), e.g. `mqttPort: 0`. */
  facilityControl?: Omit<NonNullable<EdgeAppOptions['facilityControl']>, 'control'>;
  /** Where log lines go (the demo's human-readable stream); default: pino's JSON on stdout. */
  logStream?: DestinationStream;
}

export interface EdgeServer {
  app: FastifyInstance;
  /** e.g. http://127.0.0.1:4100 */
  url: string;
  close(): Promise<void>;
}

/** Builds Fastify, registers the edge app and listens (used by `main` below and by the demo). */
export async function startEdgeServer(options: EdgeServerOptions): Promise<EdgeServer> {
  const { config } = options;
  const app = Fastify({
    logger: {
      level: config.logLevel,
      ...(options.logStream === undefined ? {} : { stream: options.logStream }),
    },
  });
  await app.register(edgeApp, {
    config,
    ...(options.now === undefined ? {} : { now: options.now }),
    facilityControl: { ...options.facilityControl, control: options.control },
  });
  const url = await app.listen({ port: config.port, host: config.host });
  return { app, url, close: () => app.close() };
}

async function main(): Promise<void> {
  let config: EdgeConfig;
  let control: FacilityControlConfig;
  try {
    // The one place that reads the environment (docs/decisions/014-configuration-validated-once.md): one
    // schema, parsed once.
    const env = parseEdgeEnv(process.env);
    config = edgeConfig(env);
    control = facilityControlConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  const { app } = await startEdgeServer({ config, control });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      app.log.info({ signal }, 'shutting down');
      void app.close().then(() => process.exit(0));
    });
  }
}

// Run only as the entry point (`tsx src/server.ts`); the demo imports `startEdgeServer`.
const entry = process.argv[1];
if (entry !== undefined && realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url))) {
  void main();
}
