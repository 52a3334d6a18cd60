import { PgliteDatabase } from './pglite-database';

describe('PgliteDatabase maintenance (PGlite has no autovacuum)', () => {
  let db: PgliteDatabase;

  beforeAll(async () => {
    db = await PgliteDatabase.open('memory://', { seedTarball: process.env.PGLITE_SEED_TARBALL });
    await db.exec(
      'CREATE TABLE grows (id int PRIMARY KEY, body text); CREATE TABLE stays (id int)',
    );
  }, 60_000);
  afterAll(() => db.close());

  const pages = async (table: string) =>
    (
      await db.query<{ relpages: number }>('SELECT relpages FROM pg_class WHERE relname = $1', [
        table,
      ])
    )[0].relpages;
  const fill = (from: number, to: number) =>
    db.query(
      `INSERT INTO grows SELECT g, repeat('x', 200) FROM generate_series($1::int, $2::int) g`,
      [from, to],
    );

  it('analyzes a table once it has doubled since it was last analyzed, and only then', async () => {
    await fill(1, 2000);
    expect(await db.analyzeGrownTables()).toEqual(['grows']);
    const analyzed = await pages('grows');
    expect(analyzed).toBeGreaterThan(8);
    expect(await db.analyzeGrownTables()).toEqual([]);

    await fill(2001, 3000);
    expect(await db.analyzeGrownTables()).toEqual([]);
    await fill(3001, 4500);
    expect(await db.analyzeGrownTables()).toEqual(['grows']);
    expect(await pages('grows')).toBeGreaterThan(analyzed);
  });

  it('never analyzes the event log, however much it grows', async () => {
    await db.exec('CREATE TABLE task_message_blocks (id int, body text)');
    await db.query(
      "INSERT INTO task_message_blocks SELECT g, repeat('x', 200) FROM generate_series(1, 2000) g",
    );
    expect(await db.analyzeGrownTables()).toEqual([]);
    expect(await pages('task_message_blocks')).toBe(0);
  });

  it('vacuum makes the room of deleted rows reusable', async () => {
    await db.exec('CREATE TABLE churn (id int, body text)');
    const size = async () =>
      Number(
        (await db.query<{ size: string }>("SELECT pg_relation_size('churn') AS size"))[0].size,
      );
    const fillAndDelete = async () => {
      await db.query(
        "INSERT INTO churn SELECT g, repeat('x', 200) FROM generate_series(1, 2000) g",
      );
      await db.query('DELETE FROM churn');
    };

    await fillAndDelete();
    const once = await size();
    await db.vacuum();
    await fillAndDelete();
    expect(await size()).toBe(once);
    // Without a VACUUM in between, the same rows take new pages.
    await fillAndDelete();
    expect(await size()).toBeGreaterThan(once);
  });
});

describe('PgliteDatabase WAL (PGlite has no checkpointer)', () => {
  let db: PgliteDatabase;

  beforeAll(async () => {
    db = await PgliteDatabase.open('memory://', {
      seedTarball: process.env.PGLITE_SEED_TARBALL,
      checkpointWalBytes: 1024 * 1024,
    });
    await db.exec('CREATE TABLE log (id int, body text)');
  }, 60_000);
  afterAll(() => db.close());

  const redo = async () =>
    (
      await db.query<{ lsn: string }>('SELECT redo_lsn::text AS lsn FROM pg_control_checkpoint()')
    )[0].lsn;
  const write = (rows: number) =>
    db.query(`INSERT INTO log SELECT g, repeat('x', 500) FROM generate_series(1, $1::int) g`, [
      rows,
    ]);

  it('creates new WAL segments without filling them with zeros first', async () => {
    expect(await db.query('SHOW wal_init_zero')).toEqual([{ wal_init_zero: 'off' }]);
  });

  it('checkpoints once the WAL since the last checkpoint reaches the threshold, and only then', async () => {
    await db.exec('CHECKPOINT');
    const before = await redo();
    await write(200); // about 0.1 MB of WAL
    expect(await db.checkpointIfWalGrew()).toBe(false);
    expect(await redo()).toBe(before);

    await write(4000); // about 2 MB
    expect(await db.checkpointIfWalGrew()).toBe(true);
    expect(await redo()).not.toBe(before);
    expect(await db.checkpointIfWalGrew()).toBe(false);
  });
});
