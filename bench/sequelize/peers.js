// bench/sequelize/peers.js: the ORMs that, like assoc, can load owners with
// their pugs and toys: Drizzle ORM's relational queries (one statement,
// the JSON built in SQL) and TypeORM, with find({relations}) and with its
// QueryBuilder (leftJoinAndSelect: one flat join, rows merged in node).
// Each maker returns, for the three findAll calls of bench.js (seq_one,
// seq_two, seq_page), a function that runs the call and returns plain
// objects.  The models are the tables of bench/setup.sql, as each ORM's
// docs declare them; orders by primary key at every level, as assoc has.
// (Prisma is not here: its CLI downloads a schema-engine binary at
// `prisma generate`, which cannot be installed on this machine.)
'use strict';

const fs = require('fs');
const path = require('path');

// ------------------------------------------------------------------ Drizzle

async function makeDrizzle(conn) {
  const pg = require('pg');
  const { drizzle } = require('drizzle-orm/node-postgres');
  const { pgTable, serial, varchar, integer, timestamp } = require('drizzle-orm/pg-core');
  const { relations } = require('drizzle-orm');

  const ts = (name) => timestamp(name, { withTimezone: true }).notNull();
  const owners = pgTable('owners', {
    id: serial('id').primaryKey(),
    name: varchar('name', { length: 255 }),
    createdAt: ts('createdAt'),
    updatedAt: ts('updatedAt'),
  });
  const pugs = pgTable('pugs', {
    id: serial('id').primaryKey(),
    name: varchar('name', { length: 255 }),
    createdAt: ts('createdAt'),
    updatedAt: ts('updatedAt'),
    ownerId: integer('ownerId'),
  });
  const toys = pgTable('toys', {
    id: serial('id').primaryKey(),
    name: varchar('name', { length: 255 }),
    createdAt: ts('createdAt'),
    updatedAt: ts('updatedAt'),
    pugId: integer('pugId'),
  });
  const ownersRelations = relations(owners, ({ many }) => ({ pugs: many(pugs) }));
  const pugsRelations = relations(pugs, ({ one, many }) => ({
    owner: one(owners, { fields: [pugs.ownerId], references: [owners.id] }),
    toys: many(toys),
  }));
  const toysRelations = relations(toys, ({ one }) => ({
    pug: one(pugs, { fields: [toys.pugId], references: [pugs.id] }),
  }));
  const client = new pg.Client(conn);
  await client.connect();
  const db = drizzle({
    client,
    schema: { owners, pugs, toys, ownersRelations, pugsRelations, toysRelations },
  });
  const byId = (t, { asc }) => [asc(t.id)];
  const withToys = { pugs: { orderBy: byId, with: { toys: { orderBy: byId } } } };
  return {
    name: 'drizzle',
    calls: {
      seq_one: () => db.query.owners.findMany({ orderBy: byId, with: { pugs: { orderBy: byId } } }),
      seq_two: () => db.query.owners.findMany({ orderBy: byId, with: withToys }),
      seq_page: () => db.query.owners.findMany({
        where: (o, { like }) => like(o.name, 'a%'),
        orderBy: byId,
        limit: 20,
        with: withToys,
      }),
    },
    close: () => client.end(),
  };
}

// ------------------------------------------------------------------ TypeORM

async function makeTypeorm(conn) {
  const { DataSource, EntitySchema, Like } = require('typeorm');
  const columns = (extra) => ({
    id: { type: 'int', primary: true, generated: 'increment' },
    name: { type: 'varchar', length: 255, nullable: true },
    createdAt: { type: 'timestamptz' },
    updatedAt: { type: 'timestamptz' },
    ...extra,
  });
  const Owner = new EntitySchema({
    name: 'Owner',
    tableName: 'owners',
    columns: columns({}),
    relations: { pugs: { type: 'one-to-many', target: 'Pug', inverseSide: 'owner' } },
  });
  const Pug = new EntitySchema({
    name: 'Pug',
    tableName: 'pugs',
    columns: columns({ ownerId: { type: 'int', nullable: true } }),
    relations: {
      owner: { type: 'many-to-one', target: 'Owner', joinColumn: { name: 'ownerId' }, inverseSide: 'pugs' },
      toys: { type: 'one-to-many', target: 'Toy', inverseSide: 'pug' },
    },
  });
  const Toy = new EntitySchema({
    name: 'Toy',
    tableName: 'toys',
    columns: columns({ pugId: { type: 'int', nullable: true } }),
    relations: { pug: { type: 'many-to-one', target: 'Pug', joinColumn: { name: 'pugId' }, inverseSide: 'toys' } },
  });
  const ds = new DataSource({
    type: 'postgres',
    host: conn.host,
    port: conn.port,
    username: conn.user,
    database: conn.database,
    entities: [Owner, Pug, Toy],
    synchronize: false,
    logging: false,
    extra: { max: 1 },
  });
  await ds.initialize();
  const repo = ds.getRepository('Owner');
  const order1 = { id: 'ASC', pugs: { id: 'ASC' } };
  const order2 = { id: 'ASC', pugs: { id: 'ASC', toys: { id: 'ASC' } } };
  const two = { pugs: { toys: true } };
  const joined = () => repo.createQueryBuilder('o')
    .leftJoinAndSelect('o.pugs', 'p')
    .leftJoinAndSelect('p.toys', 't');
  // A page (take) with an order on the joined tables' columns gets the
  // wrong owners from TypeORM: it picks the page's ids with SELECT DISTINCT
  // o.id, p.id, t.id ... ORDER BY all three LIMIT 20, i.e. 20 (owner, pug,
  // toy) triples, most often of one owner.  So a page is ordered by the
  // owner's id only, and its pugs and toys are put in order in node.
  const page = async (query) => {
    const rows = await query;
    for (const o of rows) {
      o.pugs.sort((a, b) => a.id - b.id);
      for (const p of o.pugs) p.toys.sort((a, b) => a.id - b.id);
    }
    return rows;
  };
  return [
    {
      name: 'typeorm',
      calls: {
        seq_one: () => repo.find({ relations: { pugs: true }, order: order1 }),
        seq_two: () => repo.find({ relations: two, order: order2 }),
        seq_page: () => page(repo.find({ where: { name: Like('a%') }, take: 20, relations: two, order: { id: 'ASC' } })),
      },
      close: () => ds.destroy(),
    },
    {
      name: 'typeorm_qb',
      calls: {
        seq_one: () => repo.createQueryBuilder('o').leftJoinAndSelect('o.pugs', 'p')
          .orderBy('o.id', 'ASC').addOrderBy('p.id', 'ASC').getMany(),
        seq_two: () => joined().orderBy('o.id', 'ASC').addOrderBy('p.id', 'ASC').addOrderBy('t.id', 'ASC').getMany(),
        seq_page: () => page(joined().where('o.name LIKE :name', { name: 'a%' }).take(20)
          .orderBy('o.id', 'ASC').getMany()),
      },
      close: async () => {},
    },
  ];
}

// The peers that load, each { name, calls, close }; a peer that fails to
// load is reported (STATUS n/a) by bench.js, not fatal.
async function makePeers(conn) {
  const peers = [];
  const failed = [];
  for (const [name, make] of [['drizzle', makeDrizzle], ['typeorm', makeTypeorm]]) {
    try {
      const p = await make(conn);
      peers.push(...(Array.isArray(p) ? p : [p]));
    } catch (e) {
      failed.push({ name, error: e.message });
    }
  }
  return { peers, failed };
}

function versions() {
  const v = (m) => {
    try {
      // the file, not require(): drizzle-orm's exports do not include it
      return JSON.parse(fs.readFileSync(path.join(__dirname, 'node_modules', m, 'package.json'), 'utf8')).version;
    } catch (e) {
      return 'missing';
    }
  };
  return { 'drizzle-orm': v('drizzle-orm'), typeorm: v('typeorm'), sequelize: v('sequelize'), pg: v('pg') };
}

module.exports = { makePeers, versions };
