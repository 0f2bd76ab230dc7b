import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** The console, the kiosk renderer and the UniFi webhook are not the LAN API: kept out of the document. */
const NOT_API = /^\/(?:console|kiosk)(?:\/|$)|\/console\/events$|\/unifi\/webhooks$/;

/**
 * The LAN API's OpenAPI document at `/docs/json` and its page at `/docs`, generated (as the
 * cloud's are) from the route schemas in `@clubos/shared/api/edge-lan`. Registered before the routes:
 * the document is built from the routes added after it. `docs: false` (API_DOCS=false) serves neither.
 */
export const openApiPlugin = fp<{ docs: boolean }>(
  async (app: FastifyInstance, options) => {
    await app.register(swagger, {
      openapi: {
        info: {
          title: 'ClubOS Booking edge LAN API',
          version: '1.0.0',
          description:
            "The venue edge's /api/v1 for the kiosks and the staff console, answered from the replica " +
            'even while the cloud is unreachable. Staff send `Authorization: Bearer <token>` ' +
            '(POST /api/v1/auth/login); kiosks send `Authorization: Device <key>`. Errors are ' +
            '`{ error: { code, message, field? } }` with the same codes as the cloud API.',
        },
        components: {
          securitySchemes: {
            staff: { type: 'http', scheme: 'bearer' },
            kiosk: { type: 'apiKey', in: 'header', name: 'Authorization' },
          },
        },
        security: [{ staff: [] }, { kiosk: [] }],
      },
      transform: ({ schema, url }) => ({
        schema: NOT_API.test(url) ? { ...schema, hide: true } : schema,
        url,
      }),
    });
    if (options.docs) await app.register(swaggerUi, { routePrefix: '/docs' });
  },
  { name: 'edge-openapi' },
);
