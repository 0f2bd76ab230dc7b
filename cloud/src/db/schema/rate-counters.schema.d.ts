/**
 * Counters every instance shares: request rate limits (per client and route) and wrong guesses per
 * booking code. A row counts within its window and starts again at 1 once `expires_at` passes.
 */
export declare const rateCounters: import('drizzle-orm/pg-core').PgTableWithColumns<{
  name: 'rate_counters';
  schema: undefined;
  columns: {
    key: import('drizzle-orm/pg-core').PgColumn<
      {
        name: 'key';
        tableName: 'rate_counters';
        dataType: 'string';
        columnType: 'PgVarchar';
        data: string;
        driverParam: string;
        notNull: true;
        hasDefault: false;
        isPrimaryKey: true;
        isAutoincrement: false;
        hasRuntimeDefault: false;
        enumValues: [string, ...string[]];
        baseColumn: never;
        identity: undefined;
        generated: undefined;
      },
      {},
      {
        length: 300;
      }
    >;
    count: import('drizzle-orm/pg-core').PgColumn<
      {
        name: 'count';
        tableName: 'rate_counters';
        dataType: 'number';
        columnType: 'PgInteger';
        data: number;
        driverParam: string | number;
        notNull: true;
        hasDefault: false;
        isPrimaryKey: false;
        isAutoincrement: false;
        hasRuntimeDefault: false;
        enumValues: undefined;
        baseColumn: never;
        identity: undefined;
        generated: undefined;
      },
      {},
      {}
    >;
    expiresAt: import('drizzle-orm/pg-core').PgColumn<
      {
        name: 'expires_at';
        tableName: 'rate_counters';
        dataType: 'date';
        columnType: 'PgTimestamp';
        data: Date;
        driverParam: string;
        notNull: true;
        hasDefault: false;
        isPrimaryKey: false;
        isAutoincrement: false;
        hasRuntimeDefault: false;
        enumValues: undefined;
        baseColumn: never;
        identity: undefined;
        generated: undefined;
      },
      {},
      {}
    >;
  };
  dialect: 'pg';
}>;
//# sourceMappingURL=rate-counters.schema.d.ts.map
