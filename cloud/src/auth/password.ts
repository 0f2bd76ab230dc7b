import { hash, verify } from '@node-rs/argon2';

// argon2id with the library defaults (19 MiB, t=2), OWASP's recommended minimum; runs on libuv's
// thread pool so a login does not block the event loop.
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Verified against when the email is unknown, so a login takes as long either way and does not
// reveal which emails have accounts.
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('not-a-real-password-timing-guard');
  return dummyHash;
}
