// API types the web apps use; the admin, waitlist and in-app schemas are their own entry points of
// `@clubos/shared` (the `api` barrel leaves them out).
export type {
  AdminAvailabilityRule,
  AdminFacility,
  AdminPricingRule,
  AdminSimulator,
  DashboardResponse,
} from '@clubos/shared/api/admin.schemas';
export type {
  InAppNotification,
  InAppNotificationList,
} from '@clubos/shared/api/in-app-notifications.schemas';
export type { WaitlistEntry } from '@clubos/shared/api/waitlist.schemas';
