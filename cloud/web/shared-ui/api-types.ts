// API types the web apps use. `@clubos/shared/api`'s barrel does not (yet) re-export the admin
// and waitlist schemas, so those come straight from their files.
export type {
  AdminAvailabilityRule,
  AdminFacility,
  AdminPricingRule,
  AdminSimulator,
  DashboardResponse,
} from '../../../shared/src/api/admin.schemas.js';
export type {
  InAppNotification,
  InAppNotificationList,
} from '../../../shared/src/api/in-app-notifications.schemas.js';
export type { WaitlistEntry } from '../../../shared/src/api/waitlist.schemas.js';
