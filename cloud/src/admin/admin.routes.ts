import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { adminCatalogRoutes } from './admin-catalog.routes.js';
import { adminPeopleRoutes } from './admin-people.routes.js';
import { adminRulesRoutes } from './admin-rules.routes.js';
import { customerMembershipRoutes } from './customer-membership.routes.js';
import { dashboardRoutes } from './dashboard.routes.js';

/** Everything under `/api/v1/admin` (staff: their facilities; admins: all; others: 403). */
export const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(dashboardRoutes);
  await app.register(adminCatalogRoutes);
  await app.register(adminRulesRoutes);
  await app.register(customerMembershipRoutes);
  await app.register(adminPeopleRoutes);
};
