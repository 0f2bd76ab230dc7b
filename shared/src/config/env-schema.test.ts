import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  EnvBool,
  EnvEnum,
  EnvInt,
  EnvOptional,
  EnvPort,
  EnvText,
  EnvUrl,
  parseEnv,
} from './env-schema.js';

const SCHEMA = Type.Object({
  PORT: EnvInt(3000, 0, 65_535),
  DOCS: EnvBool(true),
  LOG_LEVEL: EnvEnum(['info', 'warn'], 'info'),
  HOST: EnvText('127.0.0.1'),
  CLOUD_URL: EnvUrl(),
  PASSWORD: EnvOptional({ minLength: 10, secret: true }),
  ID: EnvOptional({ pattern: '^[a-z]+$', description: 'lower-case letters' }),
});

function failure(env: Record<string, string>): ConfigError {
  try {
    parseEnv(SCHEMA, env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('parsed without an error');
}

describe('parseEnv', () => {
  it('fills every default when nothing (or only blanks) is set', () => {
    const expected = { PORT: 3000, DOCS: true, LOG_LEVEL: 'info', HOST: '127.0.0.1' };
    expect(parseEnv(SCHEMA, {})).toEqual(expected);
    expect(parseEnv(SCHEMA, { PORT: '', DOCS: ' ', HOST: '' })).toEqual(expected);
  });

  it('converts and trims what is set, words for booleans and enums in any case', () => {
    expect(
      parseEnv(SCHEMA, {
        PORT: ' 8080 ',
        DOCS: 'Off',
        LOG_LEVEL: 'WARN',
        HOST: '0.0.0.0',
        CLOUD_URL: 'https://cloud.example.com/',
        PASSWORD: 'long enough!',
        ID: 'abc',
      }),
    ).toEqual({
      PORT: 8080,
      DOCS: false,
      LOG_LEVEL: 'warn',
      HOST: '0.0.0.0',
      CLOUD_URL: 'https://cloud.example.com/',
      PASSWORD: 'long enough!',
      ID: 'abc',
    });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT must be an integer from 0 to 65535, got "eighty"'],
    [{ PORT: '70000' }, 'PORT must be an integer from 0 to 65535, got "70000"'],
    [{ PORT: '-1' }, 'PORT must be an integer from 0 to 65535, got "-1"'],
    [{ DOCS: 'maybe' }, 'DOCS must be true or false (also 1/0, yes/no, on/off), got "maybe"'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of info, warn, got "loud"'],
    [{ CLOUD_URL: 'ftp://x' }, 'CLOUD_URL must be an http(s) URL, got "ftp://x"'],
    [{ ID: 'A1' }, 'ID must be lower-case letters, got "A1"'],
  ])('names the variable, its value and what is allowed: %j', (env, message) => {
    const error = failure(env);
    expect(error.variable).toBe(Object.keys(env)[0]);
    expect(error.message).toBe(`invalid configuration: ${message}`);
  });

  it('refuses a port that browsers and fetch refuse, saying why', () => {
    const schema = Type.Object({ PORT: EnvPort(4100) });
    expect(parseEnv(schema, { PORT: '4191' })).toEqual({ PORT: 4191 });
    expect(() => parseEnv(schema, { PORT: '4190' })).toThrow(
      "invalid configuration: PORT cannot be 4190: port 4190 is on the fetch standard's list of blocked ports",
    );
  });

  it('never echoes a secret, only its length', () => {
    const error = failure({ PASSWORD: 'hunter2' });
    expect(error.message).toBe(
      'invalid configuration: PASSWORD must be at least 10 characters, got a value of 7 characters',
    );
  });
});
