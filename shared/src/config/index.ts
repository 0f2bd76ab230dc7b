export { BLOCKED_PORTS, blockedPortReason } from './blocked-ports.js';
export {
  ConfigError,
  type Env,
  EnvBool,
  EnvEnum,
  EnvInt,
  EnvOptional,
  EnvPort,
  EnvText,
  EnvUrl,
  parseEnv,
  parseVariable,
} from './env-schema.js';
