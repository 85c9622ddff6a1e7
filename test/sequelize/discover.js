#!/usr/bin/env node
// assoc.discover against real Sequelize: the tables are made by Sequelize 6's
// sync() for the seed (Owner.hasMany(Pug), Pug.belongsTo(Owner)), for
// students/courses (belongsToMany each way through 'enrollments') and for an
// underscored pair (Vet.hasMany(Visit), Visit.belongsTo(Vet), both models
// underscored: true); then assoc.discover('public') on those tables alone
// must declare exactly the associations the models declared: the same kind,
// tables, alias, key columns, through table and underscored option, nothing
// more, nothing less.  Run again, it must find them all declared already.
//
// Connects with the libpq environment: PGHOST (a host name or a Unix socket
// directory), PGPORT, PGUSER, PGPASSWORD, PGDATABASE.  The database should be
// a throwaway one: its `public` schema is dropped and re-created, and the
// extension assoc is created when missing.
//
// Prints `ok N - name` or `not ok N - name` with the differences, then
// `N passed, M failed`; exits non-zero when a check failed.

'use strict';

const { Sequelize, DataTypes, QueryTypes } = require('sequelize');
const CONNECTION = require('./connection');

const sequelize = new Sequelize({ ...CONNECTION, logging: false });

let counter = 0;
let passed = 0;
let failed = 0;

function check(name, good, diag) {
  counter += 1;
  if (good) {
    passed += 1;
    console.log(`ok ${counter} - ${name}`);
  } else {
    failed += 1;
    console.log(`not ok ${counter} - ${name}`);
    for (const line of String(diag).split('\n')) console.log('#   ' + line);
  }
}

// The models, as an app would write them.
function defineModels() {
  const Owner = sequelize.define('owner', { name: DataTypes.STRING });
  const Pug = sequelize.define('pug', { name: DataTypes.STRING });
  Owner.hasMany(Pug);
  Pug.belongsTo(Owner);

  const Student = sequelize.define('student', { name: DataTypes.STRING });
  const Course = sequelize.define('course', { title: DataTypes.STRING });
  Student.belongsToMany(Course, { through: 'enrollments' });
  Course.belongsToMany(Student, { through: 'enrollments' });

  const Vet = sequelize.define('vet', { name: DataTypes.STRING }, { underscored: true });
  const Visit = sequelize.define('visit', { reason: DataTypes.STRING }, { underscored: true });
  Vet.hasMany(Visit);
  Visit.belongsTo(Vet);
  return [Owner, Pug, Student, Course, Vet, Visit];
}

const KINDS = {
  BelongsTo: 'belongs_to',
  HasOne: 'has_one',
  HasMany: 'has_many',
  BelongsToMany: 'belongs_to_many',
};

// The column an attribute of a model is stored in.
function field(model, attribute) {
  const attr = model.rawAttributes[attribute];
  return attr && attr.field ? attr.field : attribute;
}

// Every association the models declared, as assoc's catalog would say it.
function declared(models) {
  const out = [];
  for (const m of models) {
    for (const a of Object.values(m.associations)) {
      const kind = KINDS[a.associationType];
      let fk;
      let through = '';
      let otherKey = '';
      if (kind === 'belongs_to') fk = field(a.source, a.foreignKey);
      else if (kind === 'belongs_to_many') {
        const t = a.through.model;
        fk = field(t, a.foreignKey);
        otherKey = field(t, a.otherKey);
        through = t.getTableName();
      } else fk = field(a.target, a.foreignKey);
      out.push([kind, m.getTableName(), a.target.getTableName(), a.as, fk, through, otherKey,
        String(!!m.options.underscored)].join(' | '));
    }
  }
  return out.sort();
}

async function rows(sql) {
  return sequelize.query(sql, { type: QueryTypes.SELECT });
}

function setDiff(want, got) {
  const lines = [];
  for (const w of want) if (!got.includes(w)) lines.push('missing: ' + w);
  for (const g of got) if (!want.includes(g)) lines.push('extra:   ' + g);
  return lines.join('\n');
}

async function main() {
  await sequelize.query('DROP SCHEMA public CASCADE');
  await sequelize.query('CREATE SCHEMA public');
  await sequelize.query('CREATE EXTENSION IF NOT EXISTS assoc');
  const models = defineModels();
  await sequelize.sync({ force: true });
  const want = declared(models);
  check('the models declare 6 associations', want.length === 6, want.join('\n'));

  const first = await rows("SELECT kind, status, reason FROM assoc.discover('public')");
  const notDeclared = first.filter((r) => r.status !== 'declared');
  check('discover declares every association it finds', notDeclared.length === 0 && first.length > 0,
    JSON.stringify(first, null, 1));

  const got = (await rows(
    "SELECT concat_ws(' | ', kind, source::text, target::text, alias, foreign_key," +
    "       coalesce(through::text, ''), coalesce(other_key, ''), options->>'underscored') AS a" +
    '  FROM assoc.associations')).map((r) => r.a).sort();
  check('discover declares exactly the associations the Sequelize models declared',
    JSON.stringify(got) === JSON.stringify(want), setDiff(want, got));

  const again = await rows("SELECT kind, source::text, alias, status FROM assoc.discover('public')");
  check('run again, it finds them all declared',
    again.length === want.length && again.every((r) => r.status === 'exists'),
    JSON.stringify(again, null, 1));

  // and what discover declared works as Sequelize's accessors do
  const [owner] = await models[0].bulkCreate([{ name: 'Tom' }], { returning: true });
  await models[1].bulkCreate([{ name: 'Cody', ownerId: owner.id }, { name: 'Rex' }]);
  const viaSequelize = (await owner.getPugs()).map((p) => p.name).sort();
  const viaAssoc = (await rows(`SELECT name FROM owner_get_pugs(${owner.id})`)).map((r) => r.name).sort();
  check('owner_get_pugs answers as owner.getPugs()',
    JSON.stringify(viaSequelize) === JSON.stringify(viaAssoc),
    `Sequelize ${JSON.stringify(viaSequelize)}, assoc ${JSON.stringify(viaAssoc)}`);
}

main()
  .catch((e) => {
    check('no error', false, e.stack || e);
  })
  .finally(async () => {
    await sequelize.close();
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed > 0 || passed === 0 ? 1 : 0);
  });
