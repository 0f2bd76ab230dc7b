import { BayDeviceAgent, DoorScannerAgent } from '../../simulators/src/index.js';
import type { Api } from './demo-http.js';
import type { DemoStateFile } from './demo-state.js';
import { DEMO_SCANNER_DOORS } from './demo-venue.js';
import type { SeededVenue } from './demo-venue.seed.js';

export interface DemoDevices {
  /** Bay PC agents by bay number (1–8). */
  bays: Map<number, BayDeviceAgent>;
  /** Door scanner agents by UniFi door id (the front door and Bay 1's door). */
  scanners: Map<string, DoorScannerAgent>;
  stop(): Promise<void>;
}

interface DeviceLogin {
  username: string;
  password: string;
}

/**
 * Gives each bay PC and door scanner its own MQTT login on the edge (a manager's step; the
 * passwords are shown once, so the demo state keeps them), then connects the simulated devices to
 * the edge's broker.
 */
export async function startDemoDevices(options: {
  edgeApi: Api;
  managerAuth: string;
  mqttUrl: string;
  venue: SeededVenue;
  state: DemoStateFile;
  /** Time a bay takes to tidy up after a session (default 2 s). */
  cleanupMs?: number;
}): Promise<DemoDevices> {
  const { edgeApi, managerAuth, venue, state } = options;
  const login = async (
    kind: 'bay_pc' | 'door_scanner',
    targetId: string,
    username: string,
  ): Promise<DeviceLogin> => {
    const known = state.read().devices?.[username];
    if (known !== undefined && known.target_id === targetId) return { username, password: known.password };
    const issued = await edgeApi.json<{ username: string; password: string }>('/api/v1/devices', {
      auth: managerAuth,
      body: { kind, target_id: targetId, username },
    });
    state.update((s) => {
      s.devices = { ...s.devices, [username]: { password: issued.password, kind, target_id: targetId } };
    });
    return { username, password: issued.password };
  };

  const bays = new Map<number, BayDeviceAgent>();
  const scanners = new Map<string, DoorScannerAgent>();
  const stop = async () => {
    await Promise.all([...scanners.values()].map((s) => s.stop().catch(() => undefined)));
    await Promise.all([...bays.values()].map((b) => b.stop().catch(() => undefined)));
  };
  try {
    for (const bay of venue.bays) {
      const creds = await login('bay_pc', bay.id, `bay-pc-${bay.bay_number}`);
      const agent = new BayDeviceAgent({
        brokerUrl: options.mqttUrl,
        facilityId: venue.facilityId,
        bayId: bay.id,
        ...creds,
        cleanupMs: options.cleanupMs ?? 2_000,
      });
      await agent.start();
      bays.set(bay.bay_number, agent);
    }
    for (const door of DEMO_SCANNER_DOORS) {
      const creds = await login('door_scanner', door.doorId, door.scannerId);
      const scanner = new DoorScannerAgent({
        brokerUrl: options.mqttUrl,
        facilityId: venue.facilityId,
        doorId: door.doorId,
        scannerId: door.scannerId,
        ...creds,
      });
      await scanner.start();
      scanners.set(door.doorId, scanner);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { bays, scanners, stop };
}
