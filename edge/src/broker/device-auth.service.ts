import { randomUUID, timingSafeEqual } from 'node:crypto';
import { DomainError } from '@clubos/shared/errors';
import type { MqttPrincipal } from '@clubos/shared/mqtt';
import { isValidTopicSegment } from '@clubos/shared/mqtt';
import { newToken, tokenHash } from '../auth/secret-hash.js';
import type { EdgeDatabase } from '../db/database.js';
import { activeDeviceByUsername, type DeviceKind, insertDevice } from './device.repository.js';

export interface DeviceCredentials {
  id: string;
  username: string;
  /** Shown once, at registration; only its hash is stored. */
  password: string;
  kind: DeviceKind;
  target_id: string;
}

/**
 * Device logins for the broker (docs/decisions/008-mqtt-topics-and-qos.md). Secrets are 32 random
 * bytes generated here, so a SHA-256 of them is stored (as for kiosk keys): nothing to brute-force, and a login costs a
 * hash, not a 50 ms scrypt, which matters when 20 bay PCs reconnect after a power cut.
 */
export class DeviceAuthService {
  constructor(
    private readonly database: EdgeDatabase,
    private readonly facilityId: () => string | null,
    private readonly now: () => number,
  ) {}

  register(kind: DeviceKind, targetId: string, username?: string): DeviceCredentials {
    if (!isValidTopicSegment(targetId)) {
      throw new DomainError(
        'VALIDATION_FAILED',
        `target_id ${JSON.stringify(targetId)} cannot be used in an MQTT topic`,
        { field: 'target_id' },
      );
    }
    const password = newToken();
    const id = randomUUID();
    const name = username ?? `${kind}-${targetId}`;
    this.database.immediate(() => {
      if (activeDeviceByUsername(this.database.db, name) !== undefined) {
        throw new DomainError('VALIDATION_FAILED', `a device named ${name} already exists`, {
          field: 'username',
        });
      }
      insertDevice(this.database.db, {
        id,
        kind,
        target_id: targetId,
        username: name,
        secret_hash: tokenHash(password),
        created_at: this.now(),
      });
    });
    return { id, username: name, password, kind, target_id: targetId };
  }

  /** The principal the broker binds to the connection, or null for a bad login. */
  authenticate(username: string | undefined, password: Buffer | undefined): MqttPrincipal | null {
    if (username === undefined || password === undefined) return null;
    const device = activeDeviceByUsername(this.database.db, username);
    if (device === undefined) return null;
    const expected = Buffer.from(device.secret_hash, 'hex');
    const actual = Buffer.from(tokenHash(password.toString('utf8')), 'hex');
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
    const facilityId = this.facilityId();
    if (facilityId === null) return null;
    if (device.kind === 'bay_pc') return { role: 'bay', facilityId, bayId: device.target_id };
    if (device.kind === 'door_scanner')
      return { role: 'door_scanner', facilityId, doorId: device.target_id, scannerId: device.username };
    return null;
  }
}
