// The simulators' public entry points. Each folder's index has more (state, control types).
export * from './devices/index.js';
export { type HubspotSimulator, runHubspotCli, startHubspotSimulator } from './hubspot/index.js';
export { type MailServer, type MailServerOptions, runMailCli, startMailServer } from './mail/index.js';
export * from './ninjaone/index.js';
export {
  DEFAULT_API_KEY as STRIPE_SIMULATOR_API_KEY,
  runStripeCli,
  type StripeSimulator,
  type StripeSimulatorOptions,
  startStripeSimulator,
} from './stripe/index.js';

export {
  runTwilioCli,
  simulatorRequestClient,
  startTwilioSimulator,
  type TwilioSimulator,
  type TwilioSimulatorOptions,
} from './twilio/index.js';
export * from './unifi/index.js';
