import { cancellationPolicyFromSettings, DEFAULT_CANCELLATION_POLICY } from '@clubos/shared/booking';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type PublicFacility, PublicFacilityListSchema, SiteErrors } from './site.schemas.js';

function policyOf(settings: Record<string, unknown>) {
  try {
    return cancellationPolicyFromSettings(settings);
  } catch {
    // A malformed stored policy must not hide the venue; the cancel endpoint reports it.
    return { ...DEFAULT_CANCELLATION_POLICY };
  }
}

/** `GET /api/v1/site/facilities`: the venues a visitor can book, with their zone and cancellation terms. */
export const siteFacilitiesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const repo = app.services.site;
  app.get(
    '/site/facilities',
    {
      schema: {
        tags: ['site'],
        summary: 'Public list of venues for the booking site (name, time zone, cancellation policy)',
        security: [],
        response: { 200: PublicFacilityListSchema, ...SiteErrors },
      },
    },
    async () => ({
      facilities: (await repo.listFacilities()).map(
        (f): PublicFacility => ({
          id: f.id,
          name: f.name,
          address: f.address,
          timezone: f.timezone,
          cancellation_policy: policyOf(f.settings),
          tax_rate_bps: typeof f.settings.tax_rate_bps === 'number' ? Math.trunc(f.settings.tax_rate_bps) : 0,
        }),
      ),
    }),
  );
};
