import type { SeedDevice, SeedDoor } from '../../simulators/src/index.js';

/**
 * The demo venue as data: one facility in Toronto with 8 bays of two simulator types, its doors as
 * the UniFi Access simulator knows them, its bay PCs as NinjaOne knows them, and the demo logins.
 * The seed, the edge wiring and the scenario test all read it from here.
 */
export const DEMO_FACILITY = {
  name: 'ClubOS Demo Golf Lounge',
  slug: 'clubos-demo',
  address: '100 King St W, Toronto, ON',
  timezone: 'America/Toronto',
} as const;

export const FRONT_DOOR_ID = 'd0000000-0000-4000-8000-000000000001';
export const STAFF_DOOR_ID = 'd0000000-0000-4000-8000-000000000002';
const pad = (n: number, width: number) => String(n).padStart(width, '0');
export const bayDoorId = (bayNumber: number) => `d0000000-0000-4000-8000-000000000${pad(100 + bayNumber, 3)}`;
export const bayNinjaDeviceId = (bayNumber: number) => 200 + bayNumber;

export interface DemoBayPlan {
  bay_number: number;
  name: string;
  type: string;
  features: string[];
  hourly_rate_cents: number;
}

/** Bays 1–5: Trackman (standard); 6–8: Uneekor (premium, a dearer hour). */
export const DEMO_BAYS: DemoBayPlan[] = Array.from({ length: 8 }, (_, i) => {
  const n = i + 1;
  const premium = n > 5;
  return {
    bay_number: n,
    name: `Bay ${n}`,
    type: premium ? 'uneekor' : 'trackman',
    features: premium
      ? ['Uneekor EYE XO2', 'premium lounge', '4K projector']
      : ['Trackman iO', 'HD projector'],
    hourly_rate_cents: premium ? 6500 : 4500,
  };
});

/** Every day 10:00 to 01:00 the next morning (a rule that ends before it starts runs past midnight). */
export const OPENING_HOURS = { start_time: '10:00', end_time: '01:00' } as const;
export const SLOT_MINUTES = 30;
/**
 * Online bookings need this much notice; the edge sells walk-ins inside it
 * (docs/decisions/006-who-sells-which-time.md).
 */
export const MIN_ADVANCE_HOURS = 1;

export const DEMO_PRICING_RULES = [
  {
    name: 'Weekday evening peak',
    type: 'time_based',
    conditions: { days_of_week: [1, 2, 3, 4, 5], start_time: '17:00', end_time: '24:00' },
    price_modifier: 25,
    modifier_type: 'percentage',
    priority: 10,
  },
  {
    name: 'Weekend peak',
    type: 'time_based',
    conditions: { days_of_week: [0, 6] },
    price_modifier: 20,
    modifier_type: 'percentage',
    priority: 10,
  },
  {
    name: 'Gold member discount',
    type: 'member',
    conditions: { member_tiers: ['gold'] },
    price_modifier: -15,
    modifier_type: 'percentage',
    priority: 20,
  },
] as const;

export const DEMO_SETTINGS = {
  entrance_door_ids: [FRONT_DOOR_ID],
  cancellation_policy: { free_until_hours: 24, late_refund_percent: 50 },
  /** Ontario HST. */
  tax_rate_bps: 1300,
};

/**
 * The demo venue takes a 25 % deposit online (the rest at the venue) and a no-show fee on a saved
 * card, so a booking on the site goes through Checkout on the Stripe simulator.
 */
export const DEMO_PAYMENT_POLICY = {
  mode: 'deposit',
  deposit_bps: 2500,
  no_show_fee_cents: 2000,
  card_on_file_required: true,
  currency: 'cad',
} as const;

export const DEMO_LOGINS = {
  /** Cloud admin: the admin dashboard and the admin API. */
  admin: { email: 'admin@clubos.local', password: 'clubos-admin-demo' },
  /** Cloud staff of the demo facility: the admin dashboard, limited to the venue. */
  staff: { email: 'staff@clubos.local', password: 'clubos-staff-demo' },
  /** A customer with an account on the booking site. */
  customer: {
    email: 'pat.golfer@example.com',
    password: 'clubos-golf-demo',
    first_name: 'Pat',
    last_name: 'Golfer',
    phone: '+14165550100',
  },
  /** Staff console on the edge: a manager (devices, kiosks) and a front-desk account. */
  consoleManager: { username: 'manager', password: 'clubos-manager-demo' },
  consoleStaff: { username: 'frontdesk', password: 'clubos-frontdesk-demo' },
} as const;

/** The UniFi Access controller's doors: the entrance, a staff door not wired to a hub, a door per bay. */
export const DEMO_DOORS: SeedDoor[] = [
  { id: FRONT_DOOR_ID, name: 'Front Door' },
  { id: STAFF_DOOR_ID, name: 'Staff Door', is_bind_hub: false, has_position_sensor: false },
  ...DEMO_BAYS.map((bay) => ({ id: bayDoorId(bay.bay_number), name: `${bay.name} Door` })),
];

/** NinjaOne's devices: a PC per bay and the kiosk. */
export const DEMO_NINJA_DEVICES: SeedDevice[] = [
  ...DEMO_BAYS.map((bay) => ({
    id: bayNinjaDeviceId(bay.bay_number),
    systemName: `BAY-${pad(bay.bay_number, 2)}-PC`,
    displayName: `${bay.name} simulator PC`,
  })),
  { id: 301, systemName: 'FRONT-KIOSK', displayName: 'Walk-in kiosk' },
];

/** The two door scanners: the entrance and Bay 1's door. */
export const DEMO_SCANNER_DOORS = [
  { doorId: FRONT_DOOR_ID, scannerId: 'scanner-front' },
  { doorId: bayDoorId(1), scannerId: 'scanner-bay-1' },
] as const;
