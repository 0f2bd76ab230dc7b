import { typeboxValidatorCompiler } from '@clubos/shared/http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { errorEnvelopePlugin } from './error-envelope.js';

/**
 * The cloud's dialect on the LAN API: its error envelope, and its strict TypeBox validation (JSON
 * bodies are never coerced: `"duration": "60"` is a 400 naming `duration`, not 60).
 */
export const lanDialectPlugin = fp(
  async (app: FastifyInstance) => {
    app.setValidatorCompiler(typeboxValidatorCompiler);
    await app.register(errorEnvelopePlugin);
  },
  { name: 'edge-lan-dialect' },
);
