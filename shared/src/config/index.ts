export {
  ConfigError,
  type Env,
  EnvBool,
  EnvEnum,
  EnvInt,
  EnvOptional,
  EnvText,
  EnvUrl,
  parseEnv,
  parseVariable,
} from './env-schema.js';
