import { StandardErrors } from '@clubos/shared/api';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf, requireRole } from '../auth/index.js';
import {
  CustomerSearchQuerySchema,
  CustomerSearchResponseSchema,
  StaffListSchema,
} from './admin-people.schemas.js';

const tags = ['admin'];

/**
 * The people behind the admin dashboard's Customers and Staff tabs. Changes go through the
 * existing routes: `PUT /admin/customers/:id/membership`, `POST`/`PATCH /auth/users`.
 */
export const adminPeopleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const service = app.services.adminPeople;

  app.get(
    '/admin/customers',
    {
      preHandler: requireRole('staff', 'admin'),
      schema: {
        tags,
        summary: 'Search customers by email or name, newest first (staff: customers of their facilities)',
        description:
          '`q` matches part of the email, first name, last name or full name in any case. A guest ' +
          'record whose email an account has since taken shows its plain email with ' +
          '`detached_guest: true` and `has_account: false`. Erased customers are not listed. For ' +
          'staff, `total_bookings` and `last_booking_at` cover their facilities only.',
        querystring: CustomerSearchQuerySchema,
        response: { 200: CustomerSearchResponseSchema, ...StandardErrors },
      },
    },
    async (request) => service.searchCustomers(principalOf(request), request.query),
  );

  app.get(
    '/admin/staff',
    {
      preHandler: requireRole('admin'),
      schema: {
        tags,
        summary: 'Staff and admin accounts with their facilities and whether they are active; admins only',
        response: { 200: StaffListSchema, ...StandardErrors },
      },
    },
    async () => service.listStaff(),
  );
};
