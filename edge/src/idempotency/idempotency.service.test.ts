import { DomainError } from '@clubos/shared/errors';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type EdgeDatabase, openDatabase } from '../db/database.js';
import { IdempotencyService } from './idempotency.service.js';

let database: EdgeDatabase;
let service: IdempotencyService;
let runs: number;
const sale = async () => ({ status: 201, body: { sale: ++runs } });

beforeEach(() => {
  database = openDatabase(':memory:');
  service = new IdempotencyService(database, () => 1_000);
  runs = 0;
});
afterEach(() => database.close());

describe('Idempotency-Key on the LAN API', () => {
  it('replays the first answer for the same body with its keys in another order', async () => {
    const first = {
      simulator_id: 'b1',
      start_time: 't',
      duration: 60,
      customer: { first_name: 'A', phone: 'p' },
    };
    const reordered = {
      customer: { phone: 'p', first_name: 'A' },
      duration: 60,
      start_time: 't',
      simulator_id: 'b1',
    };
    expect(await service.run('kiosk:1', 'sale-1', first, sale)).toEqual({ status: 201, body: { sale: 1 } });
    expect(await service.run('kiosk:1', 'sale-1', reordered, sale)).toEqual({
      status: 201,
      body: { sale: 1 },
    });
    expect(runs).toBe(1);
  });

  it('refuses the same key with a changed value, naming the header, as the cloud does', async () => {
    await service.run('kiosk:1', 'sale-2', { duration: 60 }, sale);
    const error = await service.run('kiosk:1', 'sale-2', { duration: 90 }, sale).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'Idempotency-Key' });
    expect(runs).toBe(1);
  });
});
