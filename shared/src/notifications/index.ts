export { type ChannelChoice, channelChoice, channelChoiceProblem } from './channel-preferences.js';
export { EXTEND_OFFER } from './extend-offer.js';
export { type QuietHours, quietHoursOf, quietHoursProblem, quietUntil } from './quiet-hours.js';
