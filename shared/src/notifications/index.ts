export { type ChannelChoice, channelChoice, channelChoiceProblem } from './channel-preferences.js';
export { EXTEND_OFFER } from './extend-offer.js';
export {
  CUSTOMER_MESSAGE_KINDS,
  type CustomerMessageKind,
  channelsFor,
  ENTRY_KINDS,
  isCustomerMessageKind,
  KIND_LABELS,
  type KindChannels,
  kindChannelsProblem,
  MESSAGE_CHANNELS,
  type MessageChannel,
} from './kind-preferences.js';
export { type QuietHours, quietHoursOf, quietHoursProblem, quietUntil } from './quiet-hours.js';
export {
  alertRolesOf,
  DEFAULT_ALERT_ROLES,
  STAFF_ALERT_KINDS,
  STAFF_ALERT_ROLES,
  type StaffAlertRole,
} from './staff-alert-kinds.js';
