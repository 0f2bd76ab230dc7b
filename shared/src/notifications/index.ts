export { type ChannelChoice, channelChoice, channelChoiceProblem } from './channel-preferences.js';
export { type QuietHours, quietHoursOf, quietHoursProblem, quietUntil } from './quiet-hours.js';
