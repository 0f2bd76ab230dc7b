export { type QuietHours, quietHoursOf, quietHoursProblem, quietUntil } from './quiet-hours.js';
