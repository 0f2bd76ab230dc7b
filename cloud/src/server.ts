import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';

// Entry point: build the app, listen, drain and close gracefully on SIGINT/SIGTERM. Nothing else.
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const app = await buildApp({
    config,
    onBootstrapAdmin: (admin) => {
      if (admin.password) {
        // Printed once, on the console only: the account must change it after logging in.
        console.log(`\n  First start: admin account ${admin.email}, one-time password ${admin.password}\n`);
      }
    },
  });
  let closing = false;
  const close = async (signal: string) => {
    if (closing) return;
    closing = true;
    // Drain: /health answers 503 so the load balancer stops sending new requests here; then close
    // (in-flight requests finish, open streams end and their clients reconnect elsewhere).
    app.draining.active = true;
    app.log.info({ signal, drainMs: config.cluster.drainMs }, 'draining, then shutting down');
    await new Promise((resolve) => setTimeout(resolve, config.cluster.drainMs));
    await app.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void close('SIGINT'));
  process.on('SIGTERM', () => void close('SIGTERM'));
  const address = await app.listen({ port: config.port, host: config.host });
  app.log.info(`ClubOS cloud listening on ${address} (API docs at ${address}/docs)`);
}

void main();
