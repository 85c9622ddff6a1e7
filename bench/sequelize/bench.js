// bench/sequelize/bench.js: the findAll calls of the benchmark end to end in
// one node process, through Sequelize 6 (+ pg), toJSON() included, and
// through assoc.find_all with node-pg (which parses each JSON row), taking
// turns, several rounds.  Run by bench/run.sh against the database in
// PGHOST/PGPORT/PGUSER/PGDATABASE (tables owners, pugs, toys of
// bench/setup.sql); prints what it does, and for run.sh lines
//   RESULT <tab> workload <tab> variant <tab> round <tab> ms
//   STATUS <tab> workload <tab> variant <tab> ok | differs | n/a: why
// The fastest hand-written SQL through node-pg (variant "hand") is timed
// too, for reference.  The peers of peers.js (Drizzle ORM, TypeORM's find
// and QueryBuilder) take their turns in the same rounds; their lines are
// under workloads peer_one, peer_two and peer_page, with assoc's times
// repeated there (the same measurements).
'use strict';

const fs = require('fs');
const path = require('path');
const { Sequelize, DataTypes, Op } = require('sequelize');
const pg = require('pg');
const { makePeers, versions } = require('./peers');

// the fastest hand-written SQL of the psql benchmarks, for reference
const handSql = (file) => fs.readFileSync(path.join(__dirname, '..', 'queries', file), 'utf8');

const ROUNDS = Number(process.env.ASSOC_BENCH_NODE_ROUNDS || 3);
const conn = {
  host: process.env.PGHOST || 'localhost',
  port: Number(process.env.PGPORT || 5432),
  user: process.env.PGUSER || 'postgres',
  database: process.env.PGDATABASE || 'bench',
};

const sequelize = new Sequelize(conn.database, conn.user, null, {
  host: conn.host,
  port: conn.port,
  dialect: 'postgres',
  logging: false,
  pool: { max: 1 },
});

// The tables as Sequelize's sync creates them, and the associations.
const Owner = sequelize.define('Owner', { name: DataTypes.STRING }, { tableName: 'owners' });
const Pug = sequelize.define('Pug', { name: DataTypes.STRING }, { tableName: 'pugs' });
const Toy = sequelize.define('Toy', { name: DataTypes.STRING }, { tableName: 'toys' });
Owner.hasMany(Pug, { as: 'pugs', foreignKey: 'ownerId' });
Pug.belongsTo(Owner, { as: 'owner', foreignKey: 'ownerId' });
Pug.hasMany(Toy, { as: 'toys', foreignKey: 'pugId' });
Toy.belongsTo(Pug, { as: 'pug', foreignKey: 'pugId' });

// Sequelize has no default order; assoc orders arrays by primary key.
const pugs = { model: Pug, as: 'pugs' };
const toys = { model: Toy, as: 'toys' };
const CALLS = [
  {
    name: 'seq_one',
    title: 'Owner.findAll({include: pugs})',
    sequelize: () => Owner.findAll({ include: [pugs], order: [['id', 'ASC'], [pugs, 'id', 'ASC']] }),
    assoc: { include: ['pugs'] },
    hand: handSql('owners_pugs_all/groupby_sorted_rtj.sql'),
  },
  {
    name: 'seq_two',
    title: 'Owner.findAll({include: pugs > toys})',
    sequelize: () => Owner.findAll({
      include: [{ ...pugs, include: [toys] }],
      order: [['id', 'ASC'], [pugs, 'id', 'ASC'], [pugs, toys, 'id', 'ASC']],
    }),
    assoc: { include: [{ association: 'pugs', include: ['toys'] }] },
    hand: handSql('find_all_all/groupby_sorted_rtj.sql'),
  },
  {
    name: 'seq_page',
    title: "Owner.findAll({where: name LIKE 'a%', limit: 20, include: pugs > toys})",
    sequelize: () => Owner.findAll({
      where: { name: { [Op.like]: 'a%' } },
      limit: 20,
      include: [{ ...pugs, include: [toys] }],
      order: [['id', 'ASC'], [pugs, 'id', 'ASC'], [pugs, toys, 'id', 'ASC']],
    }),
    assoc: {
      where: { name: { $like: 'a%' } },
      order: [['id', 'ASC']],
      limit: 20,
      include: [{ association: 'pugs', include: ['toys'] }],
    },
    hand: handSql('find_all_page/lateral_rtj.sql'),
    repeat: 100,
  },
];

// Timestamps as numbers: the ORMs give Dates, assoc PostgreSQL's ISO 8601;
// keys in alphabetical order (each ORM has its own order: assoc's is the
// table's columns, then the associations).  Arrays keep their order.
function normalize(v, key) {
  if (v instanceof Date) return v.getTime();
  if (Array.isArray(v)) return v.map((x) => normalize(x));
  if (v && typeof v === 'object') {
    const o = {};
    for (const k of Object.keys(v).sort()) o[k] = normalize(v[k], k);
    return o;
  }
  if (typeof v === 'string' && (key === 'createdAt' || key === 'updatedAt')) return Date.parse(v);
  return v;
}

function ms(start) {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function main() {
  const client = new pg.Client(conn);
  await client.connect();
  await sequelize.authenticate();
  const { peers, failed } = await makePeers(conn);
  const v = versions();
  console.log(`versions: ${Object.keys(v).map((k) => `${k} ${v[k]}`).join(', ')}`);

  for (const call of CALLS) {
    const runSequelize = async () => (await call.sequelize()).map((r) => r.toJSON());
    const runAssoc = async () => {
      // in the select list, find_all streams its rows as they are made
      const res = await client.query('SELECT assoc.find_all($1, $2) AS j', ['owners', JSON.stringify(call.assoc)]);
      return res.rows.map((r) => r.j);
    };
    const runHand = async () => (await client.query(call.hand)).rows.map((r) => r.row_to_json);
    const run = { sequelize: runSequelize, assoc: runAssoc, hand: runHand };
    // the peers' workload: peer_one for seq_one, ...
    const peerWorkload = call.name.replace(/^seq_/, 'peer_');
    for (const f of failed) {
      console.log(`  ${f.name}: n/a (${f.error})`);
      console.log(`STATUS\t${peerWorkload}\t${f.name}\tn/a: ${f.error}`);
    }

    console.log(`${call.name}: ${call.title}`);
    // the check, which also warms both up
    let seq;
    let asc;
    try {
      asc = await runAssoc();
    } catch (e) {
      console.log(`  assoc: n/a (${e.message})`);
      console.log(`STATUS\t${call.name}\tassoc\tn/a: ${e.message}`);
      continue;
    }
    const ref = JSON.stringify(normalize(asc));
    seq = await runSequelize();
    const same = JSON.stringify(normalize(seq)) === ref;
    const handSame = JSON.stringify(normalize(await runHand())) === ref;
    console.log(`  ${asc.length} owners; same JSON: Sequelize ${same ? 'yes' : 'NO'}, hand SQL ${handSame ? 'yes' : 'NO'}`);
    console.log(`STATUS\t${call.name}\tassoc\tok`);
    console.log(`STATUS\t${call.name}\tsequelize\t${same ? 'ok' : 'differs'}`);
    console.log(`STATUS\t${call.name}\thand\t${handSame ? 'ok' : 'differs'}`);
    console.log(`STATUS\t${peerWorkload}\tassoc\tok`);
    const variants = ['sequelize', 'assoc', 'hand'];
    for (const p of peers) {
      let same = false;
      try {
        same = JSON.stringify(normalize(await p.calls[call.name]())) === ref;
        console.log(`  ${p.name}: same JSON: ${same ? 'yes' : 'NO (left out)'}`);
        console.log(`STATUS\t${peerWorkload}\t${p.name}\t${same ? 'ok' : 'differs'}`);
      } catch (e) {
        console.log(`  ${p.name}: failed (${e.message})`);
        console.log(`STATUS\t${peerWorkload}\t${p.name}\tfailed: ${e.message}`);
      }
      if (same) {
        run[p.name] = p.calls[call.name];
        variants.push(p.name);
      }
    }
    seq = asc = null;

    for (let round = 1; round <= ROUNDS; round++) {
      // a different order each round
      const order = variants.map((_, i) => variants[(i + round) % variants.length]);
      for (const variant of order) {
        // a page takes milliseconds: the mean of many calls in a row
        const n = call.repeat || 1;
        // each variant starts from a collected heap, so that none pays for
        // the garbage another left (run.sh runs node with --expose-gc)
        if (global.gc) global.gc();
        const start = process.hrtime.bigint();
        let rows;
        for (let i = 0; i < n; i++) rows = await run[variant]();
        const t = ms(start) / n;
        if (!rows.length) throw new Error('no rows');
        const peer = variant !== 'sequelize' && variant !== 'hand';
        const native = variant === 'sequelize' || variant === 'hand' || variant === 'assoc';
        if (native) console.log(`RESULT\t${call.name}\t${variant}\t${round}\t${t.toFixed(3)}`);
        if (peer) console.log(`RESULT\t${peerWorkload}\t${variant}\t${round}\t${t.toFixed(3)}`);
      }
    }
  }
  await client.end();
  await sequelize.close();
  for (const p of peers) await p.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
