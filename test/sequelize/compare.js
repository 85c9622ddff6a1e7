#!/usr/bin/env node
// Runs the same findAll calls through Sequelize 6 and through assoc
// (assoc.find_all and the generated loaders) against one database, and
// compares the JSON: key names, key order, array order and values, with
// timestamps compared as instants.  The scenarios and cases are data, in
// cases.js.
//
// Connects with the libpq environment: PGHOST (a host name or a Unix socket
// directory), PGPORT, PGUSER, PGPASSWORD, PGDATABASE.  The database should be
// a throwaway one: the `public` schema is dropped and re-created for every
// scenario, and the extension assoc is created in it when missing.
//
// Prints one line per case, `ok N - name` or `not ok N - name` followed by
// the differences, then `N passed, M failed`; exits non-zero when a case
// failed or none passed.
//
// Environment:
//   COMPARE_ONLY=regexp   run only the cases whose "scenario: name" matches
//   COMPARE_VERBOSE=1     print both JSON results of passing cases too
//   COMPARE_TIMEZONE=tz   the TimeZone of assoc's session (Asia/Kolkata, so
//                         that instants, not texts, are what must agree)

'use strict';

const { Sequelize, DataTypes, Op } = require('sequelize');
const { underscore } = require('sequelize/lib/utils');
const pg = require('pg');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { SCENARIOS, CASES } = require('./cases');

const env = process.env;
const CONN = {
  host: env.PGHOST || 'localhost',
  port: Number(env.PGPORT || 5432),
  user: env.PGUSER || os.userInfo().username,
  password: env.PGPASSWORD || undefined,
  database: env.PGDATABASE || env.PGUSER || os.userInfo().username,
};
const ONLY = env.COMPARE_ONLY ? new RegExp(env.COMPARE_ONLY) : null;
const VERBOSE = env.COMPARE_VERBOSE === '1';
const TIMEZONE = env.COMPARE_TIMEZONE || 'Asia/Kolkata';
const MAX_DIFF_LINES = 80;

// the assoc function of each Sequelize method a case may call (its "method")
const ASSOC_FUNCTION = { findAll: 'find_all', count: 'count', findAndCountAll: 'find_and_count_all' };

const JSON_OID = 114;
const JSONB_OID = 3802;

// ------------------------------------------------------------------ output

let counter = 0;
let passed = 0;
let failed = 0;
let skipped = 0;

function diag(text) {
  for (const line of String(text).split('\n')) console.log('#   ' + line);
}
function ok(name) {
  counter += 1;
  passed += 1;
  console.log(`ok ${counter} - ${name}`);
}
function notOk(name, details) {
  counter += 1;
  failed += 1;
  console.log(`not ok ${counter} - ${name}`);
  if (details) diag(details);
}
function skip(name, why) {
  counter += 1;
  skipped += 1;
  console.log(`ok ${counter} - ${name} # SKIP ${why}`);
}

// ---------------------------------------------------------------- database

// assoc's side: json and jsonb stay text, so that key order and duplicate
// keys are what the server sent
function assocClient() {
  const client = new pg.Client({
    ...CONN,
    types: {
      getTypeParser(oid, format) {
        if (oid === JSON_OID || oid === JSONB_OID) return (v) => v;
        return pg.types.getTypeParser(oid, format);
      },
    },
  });
  client.notices = [];
  client.on('notice', (n) => client.notices.push(n.message));
  return client;
}

const quoteIdent = (name) => '"' + String(name).replace(/"/g, '""') + '"';
const errText = (e) => (e && (e.parent ? e.parent.message : e.message)) || String(e);

// ------------------------------------------------------------ translation
// assoc's JSON options (column names, "$op" operators, aliases) into
// Sequelize's (attribute names, Op symbols, {association}).

function attrName(model, column) {
  const a = model.fieldRawAttributesMap[column];
  return a ? a.fieldName : column;
}

function whereToSeq(model, w) {
  if (Array.isArray(w)) return w.map((x) => whereToSeq(model, x));
  if (w === null || typeof w !== 'object') return w;
  const out = {};
  for (const [k, v] of Object.entries(w)) {
    if (k.length > 2 && k.startsWith('$') && k.endsWith('$')) {
      // "$pugs.name$": Sequelize's own spelling of a column of an include
      out[k] = whereToSeq(model, v);
    } else if (k.startsWith('$')) {
      const op = Op[k.slice(1)];
      if (!op) throw new Error(`harness: unknown operator ${k}`);
      out[op] = whereToSeq(model, v);
    } else {
      out[attrName(model, k)] = whereToSeq(model, v);
    }
  }
  return out;
}

function attributesToSeq(model, a) {
  if (Array.isArray(a)) return a.map((c) => (typeof c === 'string' ? attrName(model, c) : c));
  if (a && typeof a === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(a)) out[k] = attributesToSeq(model, v);
    return out;
  }
  return a;
}

// Does an element of an order item name the model tm: its name or table
// name, as a string or {model: ...}?
function namesModel(tm, x) {
  const name = typeof x === 'string' ? x : x && typeof x === 'object' && Object.keys(x).length === 1 ? x.model : undefined;
  return name !== undefined && (name === tm.name || name === tm.tableName);
}

// ['pugs', 'toys', 'label', 'DESC']: association aliases, then a column of
// the model reached, then the direction; ['courses', 'enrollment', 'grade']:
// after a belongsToMany, its through model, which Sequelize takes as the
// model itself (a string there becomes part of a broken identifier)
function orderToSeq(model, order) {
  return order.map((item) => {
    if (!Array.isArray(item)) return typeof item === 'string' ? attrName(model, item) : item;
    let m = model;
    let reached = null;
    const out = [];
    let i = 0;
    while (i < item.length - 1 && typeof item[i] === 'string' && m.associations[item[i]]) {
      out.push(item[i]);
      reached = m.associations[item[i]];
      m = reached.target;
      i += 1;
    }
    if (reached && reached.through && i < item.length - 1 && namesModel(reached.through.model, item[i])) {
      out.push(reached.through.model);
      m = reached.through.model;
      i += 1;
    }
    if (i < item.length) out.push(attrName(m, item[i]));
    for (i += 1; i < item.length; i += 1) out.push(item[i]);
    return out;
  });
}

function aliasOfModel(model, name) {
  for (const a of Object.values(model.associations)) {
    if (a.target.name === name || a.target.tableName === name) return a.as;
  }
  return name;
}

function includeToSeq(model, inc) {
  if (typeof inc === 'string') inc = { association: inc };
  if (inc.all) return { ...inc };
  const { association, as, model: modelName, through, ...rest } = inc;
  const alias = association || as || aliasOfModel(model, modelName);
  const a = model.associations[alias];
  if (!a) return { association: alias }; // Sequelize's error, as assoc's
  const out = { association: alias, ...optionsToSeq(a.target, rest) };
  if (through) {
    const tm = a.through.model;
    out.through = {};
    for (const [k, v] of Object.entries(through)) {
      if (k === 'where') out.through.where = whereToSeq(tm, v);
      else if (k === 'attributes') out.through.attributes = attributesToSeq(tm, v);
      else out.through[k] = v;
    }
  }
  return out;
}

function optionsToSeq(model, o) {
  const out = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === 'where') out.where = whereToSeq(model, v);
    else if (k === 'attributes') out.attributes = attributesToSeq(model, v);
    else if (k === 'order') out.order = orderToSeq(model, v);
    else if (k === 'include') out.include = (Array.isArray(v) ? v : [v]).map((i) => includeToSeq(model, i));
    else out[k] = v;
  }
  return out;
}

// The order assoc applies by default, for Sequelize, which has none: the
// root's primary key unless the case orders, and the primary key of every
// multi-valued include whose path the case's order does not mention
// (separate / limited includes are separate queries: their order goes in
// the include).
function addDefaultOrder(model, opts) {
  const mentioned = new Set();
  for (const item of opts.order || []) {
    if (!Array.isArray(item)) continue;
    let m = model;
    const p = [];
    for (const x of item) {
      if (typeof x !== 'string' || !m.associations[x]) break;
      p.push(x);
      mentioned.add(p.join('.'));
      m = m.associations[x].target;
    }
  }
  const extra = [];
  if (!opts.order) extra.push([model.primaryKeyAttribute, 'ASC']);
  (function walk(m, includes, p) {
    for (const inc of includes || []) {
      if (inc.all) continue;
      const a = m.associations[inc.association];
      if (!a) continue;
      const q = p.concat(inc.association);
      if (a.isMultiAssociation && (inc.separate || inc.limit !== undefined)) {
        addDefaultOrder(a.target, inc);
        continue;
      }
      if (a.isMultiAssociation && !mentioned.has(q.join('.'))) {
        extra.push([...q, a.target.primaryKeyAttribute, 'ASC']);
      }
      walk(a.target, inc.include, q);
    }
  })(model, opts.include, []);
  if (extra.length) opts.order = (opts.order || []).concat(extra);
}

// ------------------------------------------------------------ normalising
// Both results become the same canonical form: keys are column names (for
// Sequelize, attribute names are mapped through the model's rawAttributes),
// timestamps are ISO 8601 instants in UTC with milliseconds (with any
// sub-millisecond rest spelt out), BIGINT / DECIMAL values numbers.

const TS_RE = /^(\d{4,}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d(?::?\d\d)?)?$/;

function instant(v) {
  if (v instanceof Date) return isNaN(v) ? 'Invalid Date' : v.toISOString();
  if (typeof v !== 'string') return v;
  const m = TS_RE.exec(v);
  if (!m) return `not a timestamp: ${JSON.stringify(v)}`;
  let zone = m[4] || 'Z';
  if (/^[+-]\d\d$/.test(zone)) zone += ':00';
  else if (/^[+-]\d{4}$/.test(zone)) zone = zone.slice(0, 3) + ':' + zone.slice(3);
  const frac = (m[3] || '').padEnd(3, '0');
  const ms = Date.parse(`${m[1]}T${m[2]}.${frac.slice(0, 3)}${zone}`);
  if (isNaN(ms)) return `not a timestamp: ${JSON.stringify(v)}`;
  const rest = frac.slice(3).replace(/0+$/, '');
  return new Date(ms).toISOString() + (rest ? ` (+0.000${rest}s)` : '');
}

function plain(v) {
  if (v instanceof Date) return instant(v);
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') {
    const out = {};
    for (const k of Object.keys(v)) out[k] = plain(v[k]);
    return out;
  }
  return v;
}

function value(attr, v) {
  if (v === null || v === undefined) return v === undefined ? '(undefined)' : null;
  const key = attr.type && (attr.type.key || (attr.type.constructor && attr.type.constructor.key));
  if (key === 'DATE') return instant(v);
  if (['BIGINT', 'DECIMAL', 'NUMERIC'].includes(key) && (typeof v === 'string' || typeof v === 'number')) {
    return Number(v);
  }
  return plain(v);
}

// side: 'sequelize' (attribute-named keys) or 'assoc' (column-named keys)
function canon(side, model, v, throughModel) {
  if (v === null || v === undefined) return v === undefined ? '(undefined)' : null;
  if (Array.isArray(v)) return v.map((x) => canon(side, model, x, throughModel));
  if (typeof v !== 'object' || v instanceof Date) return plain(v);
  const out = {};
  for (const k of Object.keys(v)) {
    const attr = side === 'sequelize' ? model.rawAttributes[k] : model.fieldRawAttributesMap[k];
    const assoc = model.associations[k];
    if (attr && !assoc) {
      out[attr.field || k] = value(attr, v[k]);
    } else if (assoc) {
      out[k] = canon(side, assoc.target, v[k], assoc.through ? assoc.through.model : null);
    } else if (throughModel && k === throughModel.name) {
      out[k] = canon(side, throughModel, v[k], null);
    } else {
      out[k] = plain(v[k]);
    }
  }
  return out;
}

// ------------------------------------------------------------------- diff

const short = (v) => {
  const s = JSON.stringify(v);
  return s === undefined ? 'undefined' : s.length > 120 ? s.slice(0, 117) + '...' : s;
};
const kind = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

function differences(a, b, p, out) {
  if (out.length >= 20) return;
  if (kind(a) !== kind(b)) {
    out.push(`${p || '(top)'}: sequelize ${short(a)}, assoc ${short(b)}`);
    return;
  }
  if (Array.isArray(a)) {
    if (a.length !== b.length) out.push(`${p || '(top)'}: sequelize has ${a.length} elements, assoc ${b.length}`);
    for (let i = 0; i < Math.min(a.length, b.length); i += 1) differences(a[i], b[i], `${p}[${i}]`, out);
    return;
  }
  if (a && typeof a === 'object') {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    const missing = ka.filter((k) => !(k in b));
    const extra = kb.filter((k) => !(k in a));
    if (missing.length) out.push(`${p || '(top)'}: keys only sequelize has: ${missing.join(', ')}`);
    if (extra.length) out.push(`${p || '(top)'}: keys only assoc has: ${extra.join(', ')}`);
    const common = ka.filter((k) => k in b);
    const orderB = kb.filter((k) => k in a);
    if (common.join('\u0000') !== orderB.join('\u0000')) {
      out.push(`${p || '(top)'}: key order differs: sequelize ${common.join(',')} / assoc ${orderB.join(',')}`);
    }
    for (const k of common) differences(a[k], b[k], `${p}.${k}`, out);
    return;
  }
  if (a !== b) out.push(`${p || '(top)'}: sequelize ${short(a)}, assoc ${short(b)}`);
}

function unifiedDiff(a, b) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assoc-compare-'));
  try {
    const fa = path.join(dir, 'sequelize.json');
    const fb = path.join(dir, 'assoc.json');
    fs.writeFileSync(fa, JSON.stringify(a, null, 2) + '\n');
    fs.writeFileSync(fb, JSON.stringify(b, null, 2) + '\n');
    const r = spawnSync('diff', ['-U', '4', '--label', 'sequelize', '--label', 'assoc', fa, fb], { encoding: 'utf8' });
    if (r.error) return `(diff unavailable: ${r.error.message})`;
    const lines = r.stdout.split('\n');
    if (lines.length > MAX_DIFF_LINES) {
      return lines.slice(0, MAX_DIFF_LINES).join('\n') + `\n... (${lines.length - MAX_DIFF_LINES} more lines)`;
    }
    return r.stdout.replace(/\n$/, '');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// --------------------------------------------------------------- scenarios

const ASSOC_KIND = { hasMany: 'has_many', belongsTo: 'belongs_to', hasOne: 'has_one', belongsToMany: 'belongs_to_many' };
const FK_ACTION = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };

async function schemaSnapshot(db) {
  const cols = await db.query(`
    SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull,
           pg_get_expr(d.adbin, d.adrelid) AS def
      FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
      LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
     WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY c.relname, a.attnum`);
  const cons = await db.query(`
    SELECT conrelid::regclass::text AS tab, conname, pg_get_constraintdef(oid) AS def
      FROM pg_constraint WHERE connamespace = 'public'::regnamespace
     ORDER BY 1, 2`);
  return [
    ...cols.rows.map((r) => `column ${r.relname}.${r.attname} ${r.type}${r.attnotnull ? ' NOT NULL' : ''}${r.def ? ' DEFAULT ' + r.def : ''}`),
    ...cons.rows.map((r) => `constraint ${r.tab} ${r.conname}: ${r.def}`),
  ];
}

async function fkActions(db, table, column) {
  const r = await db.query(`
    SELECT c.confdeltype, c.confupdtype
      FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
     WHERE c.contype = 'f' AND cardinality(c.conkey) = 1
       AND c.conrelid = quote_ident($1)::regclass AND a.attname = $2`, [table, column]);
  if (r.rows.length !== 1) return null;
  return { on_delete: FK_ACTION[r.rows[0].confdeltype], on_update: FK_ACTION[r.rows[0].confupdtype] };
}

// Declares one association through assoc; returns a list of problems with
// the catalog row (it must describe what Sequelize made).
async function declareInAssoc(db, scenario, spec, seqAssoc) {
  const s = seqAssoc.source.sequelize;
  const kind = ASSOC_KIND[spec.kind];
  const params = [seqAssoc.source.tableName, seqAssoc.target.tableName];
  const named = [];
  const arg = (name, v) => {
    if (v === undefined || v === null) return;
    params.push(v);
    named.push(`${name} => $${params.length}`);
  };
  if (spec.kind === 'belongsToMany') {
    const through = s.models[spec.through];
    arg('through', through ? through.tableName : spec.through);
  }
  arg('alias', spec.as);
  arg('foreign_key', spec.foreignKey);
  if (spec.kind === 'belongsToMany') arg('other_key', spec.otherKey);
  arg('source_key', spec.sourceKey);
  arg('target_key', spec.targetKey);
  if (scenario.underscored) arg('underscored', true);
  if (spec.constraints === false) arg('constraints', false);
  if (spec.scope) arg('scope', JSON.stringify(spec.scope));
  if (spec.throughScope) arg('through_scope', JSON.stringify(spec.throughScope));
  const sql = `SELECT to_json(r)::text AS row FROM assoc.${kind}(quote_ident($1)::regclass, quote_ident($2)::regclass`
    + named.map((n) => ', ' + n).join('') + ') r';
  db.notices = [];
  const res = await db.query(sql, params);
  const row = JSON.parse(res.rows[0].row);

  const problems = [];
  const expect = (field, want) => {
    if (row[field] !== want) problems.push(`catalog ${field} is ${JSON.stringify(row[field])}, Sequelize's is ${JSON.stringify(want)}`);
  };
  expect('kind', kind);
  expect('alias', seqAssoc.as);
  expect('foreign_key', seqAssoc.identifierField);
  let holder;
  if (spec.kind === 'belongsTo') holder = seqAssoc.source.tableName;
  else if (spec.kind === 'belongsToMany') holder = seqAssoc.through.model.tableName;
  else holder = seqAssoc.target.tableName;
  if (spec.kind === 'belongsToMany') expect('other_key', seqAssoc.foreignIdentifierField);
  // the referenced key(s)
  if (spec.kind === 'belongsTo') expect('target_key', seqAssoc.targetKeyField);
  else expect('source_key', seqAssoc.sourceKeyField);
  if (spec.kind === 'belongsToMany') expect('target_key', seqAssoc.targetKeyField);
  // every accessor Sequelize gives (getNews, addNews, ...) is a function
  // of assoc's, named prefix_ + underscore(accessor) (hub_get_news, hub_add_news)
  const have = new Set((row.functions || []).map((f) => f.replace(/\(.*$/, '').replace(/^.*\./, '').replace(/"/g, '')));
  const prefix = row.options && row.options.prefix;
  for (const [method, accessor] of Object.entries(seqAssoc.accessors || {})) {
    const want = `${prefix}_${underscore(accessor).toLowerCase()}`;
    if (!have.has(want)) problems.push(`Sequelize's ${accessor} (${method}) has no function ${want}; assoc's: ${[...have].sort().join(', ')}`);
  }
  const actions = spec.constraints === false ? null : await fkActions(db, holder, seqAssoc.identifierField);
  if (spec.constraints === false) {
    // no foreign key, as Sequelize's constraints: false
  } else if (!actions) {
    problems.push(`no single foreign key on ${holder}.${seqAssoc.identifierField} after the declaration`);
  } else {
    expect('on_delete', actions.on_delete);
    expect('on_update', actions.on_update);
  }
  if (problems.length) problems.push('declared with: ' + sql.replace(/\$(\d+)/g, (_, n) => JSON.stringify(params[n - 1])), ...db.notices.map((n) => 'NOTICE: ' + n));
  return problems;
}

async function assocHas(db, fn) {
  const r = await db.query(`SELECT count(*)::int AS n FROM pg_proc WHERE pronamespace = 'assoc'::regnamespace AND proname = $1`, [fn]);
  return r.rows[0].n > 0;
}

// Sets a scenario up; returns { s, error, skip }.
async function setUp(db, name, scenario) {
  for (const fn of scenario.requires || []) {
    if (!(await assocHas(db, fn))) return { skip: `assoc.${fn} does not exist yet` };
  }
  await db.query('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public; GRANT ALL ON SCHEMA public TO PUBLIC');
  const left = await db.query('SELECT count(*)::int AS n FROM assoc.associations');
  if (left.rows[0].n !== 0) {
    return { error: `assoc.associations still has ${left.rows[0].n} rows after DROP SCHEMA public CASCADE` };
  }

  const log = [];
  const s = new Sequelize(CONN.database, CONN.user, CONN.password || null, {
    host: CONN.host,
    port: CONN.port,
    dialect: 'postgres',
    logging: (sql) => log.push(sql.replace(/^Executing \([^)]*\): /, '')),
  });
  s.sqlLog = log;
  try {
    scenario.define(s, DataTypes);
    const seqAssocs = [];
    for (const spec of scenario.associations) {
      const opts = {};
      if (spec.as) opts.as = spec.as;
      if (spec.foreignKey) opts.foreignKey = spec.foreignKey;
      if (spec.otherKey) opts.otherKey = spec.otherKey;
      if (spec.sourceKey) opts.sourceKey = spec.sourceKey;
      if (spec.targetKey) opts.targetKey = spec.targetKey;
      if (spec.through) opts.through = s.models[spec.through] || spec.through;
      if (spec.throughScope) opts.through = { model: opts.through, scope: spec.throughScope };
      if (spec.scope) opts.scope = spec.scope;
      if (spec.constraints === false) opts.constraints = false;
      const src = s.models[spec.source];
      const tgt = s.models[spec.target];
      if (!src || !tgt) throw new Error(`harness: scenario ${name}: no model ${src ? spec.target : spec.source}`);
      seqAssocs.push(src[spec.kind](tgt, opts));
    }
    await s.sync();
    for (const [model, list] of scenario.data) {
      if (!s.models[model]) throw new Error(`harness: scenario ${name}: no model ${model} for the data`);
      await s.models[model].bulkCreate(list, { silent: true });
    }

    // assoc adopts what Sequelize made: nothing but indexes may change
    const before = await schemaSnapshot(db);
    const problems = [];
    // each model's options, as Sequelize has them, declared with assoc.model
    if (scenario.modelOptions) {
      for (const m of Object.values(s.models)) {
        const o = m.options;
        const tsa = m._timestampAttributes || {};
        const field = (a) => (a ? m.rawAttributes[a].field || a : '');
        try {
          await db.query('SELECT assoc.model(quote_ident($1)::regclass, name => $2, timestamps => $3,'
            + ' created_at => $4, updated_at => $5, paranoid => $6, deleted_at => $7, underscored => $8)',
          [m.tableName, m.name, o.timestamps !== false, field(tsa.createdAt), field(tsa.updatedAt),
            !!o.paranoid, o.paranoid ? field(tsa.deletedAt) : null, !!o.underscored]);
        } catch (e) {
          problems.push(`assoc.model(${m.tableName}): ${errText(e)}`);
        }
      }
    }
    for (let i = 0; i < scenario.associations.length; i += 1) {
      const spec = scenario.associations[i];
      const label = `${ASSOC_KIND[spec.kind]}(${seqAssocs[i].source.tableName}, ${seqAssocs[i].target.tableName}${spec.as ? ', ' + spec.as : ''})`;
      try {
        const p = await declareInAssoc(db, scenario, spec, seqAssocs[i]);
        problems.push(...p.map((x) => `${label}: ${x}`));
      } catch (e) {
        problems.push(`${label}: ${errText(e)}`);
      }
    }
    const after = await schemaSnapshot(db);
    const gone = before.filter((x) => !after.includes(x));
    const added = after.filter((x) => !before.includes(x));
    if (gone.length || added.length) {
      problems.push('the declarations changed the schema Sequelize made:',
        ...gone.map((x) => '  - ' + x), ...added.map((x) => '  + ' + x));
    }
    // assoc's declarations beyond Sequelize's
    for (const q of scenario.assocAfter || []) {
      try {
        await db.query(q);
      } catch (e) {
        problems.push(`${q}: ${errText(e)}`);
      }
    }
    return { s, problems };
  } catch (e) {
    await s.close().catch(() => {});
    return { error: `${errText(e)}\n${e.stack || ''}` };
  }
}

// ------------------------------------------------------------------- cases

// A write case: the tables of c.tables are saved, Sequelize's writes
// (c.seqWrite) run, the state (c.state: one JSON value per row) is read; the
// tables are put back as saved (triggers and foreign keys off, as a restore
// does) and assoc's writes (c.assocWrite) run, the state is read again; then
// the tables are put back once more.  Both states must be the same.
async function runWriteCase(db, s, c) {
  const tables = c.tables.map((m) => s.models[m].tableName);
  const save = async () => {
    await db.query('DROP SCHEMA IF EXISTS assoc_compare_saved CASCADE; CREATE SCHEMA assoc_compare_saved');
    for (const [i, t] of tables.entries()) {
      await db.query(`CREATE TABLE assoc_compare_saved.t${i} AS SELECT * FROM public.${quoteIdent(t)}`);
    }
  };
  // bulkCreate gave the ids: a serial's sequence starts after them, the
  // same for both sides
  const sequences = async () => {
    for (const t of tables) {
      const q = 'public.' + quoteIdent(t);
      const r = await db.query(`SELECT FROM pg_attribute WHERE attrelid = $1::regclass AND attname = 'id'`, [q]);
      if (r.rows.length === 0) continue;
      await db.query(`SELECT setval(s, (SELECT coalesce(max(id), 0) + 1 FROM ${q}), false)
                        FROM pg_get_serial_sequence($1, 'id') s WHERE s IS NOT NULL`, [q]);
    }
  };
  const restore = async () => {
    await db.query('SET session_replication_role = replica');
    for (const [i, t] of tables.entries()) {
      await db.query(`DELETE FROM public.${quoteIdent(t)}; INSERT INTO public.${quoteIdent(t)} SELECT * FROM assoc_compare_saved.t${i}`);
    }
    await db.query('SET session_replication_role = DEFAULT');
  };
  const state = async () => (await db.query({ text: c.state, rowMode: 'array' })).rows.map((r) => r[0]);
  let a;
  let b;
  const lines = [];
  await save();
  await sequences();
  try {
    await c.seqWrite(s.models, Op);
    a = await state();
  } catch (e) {
    lines.push('sequelize error: ' + errText(e));
  }
  await restore();
  await sequences();
  try {
    await db.query(c.assocWrite);
    b = await state();
  } catch (e) {
    lines.push('assoc error: ' + errText(e));
  }
  await restore();
  await db.query('DROP SCHEMA assoc_compare_saved CASCADE');
  if (!lines.length && JSON.stringify(a) === JSON.stringify(b)) return { ok: true };
  if (a && b) {
    const diffs = [];
    differences(a, b, '', diffs);
    lines.push('differences of the state after the writes:', ...diffs.map((d) => '  ' + d));
  }
  lines.push('assoc SQL: ' + c.assocWrite, 'state: ' + c.state);
  return { ok: false, details: lines.join('\n') };
}

async function runCase(db, s, c) {
  if (c.seqWrite) return runWriteCase(db, s, c);
  const model = s.models[c.model];
  if (!model) throw new Error(`harness: no model ${c.model}`);
  const options = c.options || {};
  let seqOptions;
  if (c.seq) {
    seqOptions = c.seq(s.models, Op);
  } else {
    seqOptions = optionsToSeq(model, options);
    if (c.seqOrder) seqOptions.order = c.seqOrder;
    else addDefaultOrder(model, seqOptions);
  }

  // Sequelize
  s.sqlLog.length = 0;
  let seqResult;
  let seqError;
  const method = c.method || 'findAll';
  try {
    if (c.call) {
      // an accessor: instances, one instance, null or a value, as rows
      const v = await c.call(s.models);
      const list = Array.isArray(v) ? v : [v];
      seqResult = list.map((r) => (r && typeof r.toJSON === 'function' ? r.toJSON() : r));
    } else if (c.seqFn) {
      // an accessor instead of findAll: instances (or plain values) in a list
      seqResult = (await c.seqFn(s.models, Op)).map((r) => (r && r.toJSON ? r.toJSON() : r));
    } else if (method === 'count') {
      seqResult = await model.count(seqOptions);
    } else if (method === 'findAndCountAll') {
      const r = await model.findAndCountAll(seqOptions);
      seqResult = { count: r.count, rows: r.rows.map((x) => x.toJSON()) };
    } else {
      seqResult = (await model.findAll(seqOptions)).map((r) => r.toJSON());
    }
  } catch (e) {
    seqError = e;
  }
  const seqSql = s.sqlLog.slice();

  // assoc
  let assocSql;
  let assocParams = [];
  if (c.sql) {
    assocSql = c.sql;
  } else {
    assocSql = `SELECT * FROM assoc.${ASSOC_FUNCTION[method]}(quote_ident($1)::regclass, $2::jsonb)`;
    assocParams = [model.tableName, JSON.stringify(options)];
  }
  let assocResult;
  let assocError;
  try {
    const r = await db.query({ text: assocSql, values: assocParams, rowMode: 'array' });
    assocResult = r.rows.map((row) => (row[0] === null ? null : JSON.parse(row[0])));
    // count: one bigint (node-pg's text); find_and_count_all: one object
    if (method !== 'findAll' && !c.sql) assocResult = assocResult[0];
  } catch (e) {
    assocError = e;
  }

  const shown = () => {
    const lines = [];
    lines.push('sequelize SQL: ' + (seqSql.length ? seqSql.join('\n               ') : '(none sent)'));
    if (c.sql) {
      lines.push('assoc SQL:     ' + c.sql);
    } else {
      lines.push(`assoc SQL:     SELECT * FROM assoc.${ASSOC_FUNCTION[method]}(${quoteLiteral(quoteIdent(model.tableName))}, ${quoteLiteral(JSON.stringify(options))})`);
    }
    return lines;
  };

  if (c.expectError) {
    // "not implemented" (feature_not_supported) is not the error looked for
    if (seqError && assocError && assocError.code !== '0A000') {
      return { ok: true, note: `sequelize error: ${errText(seqError)}\nassoc error: ${errText(assocError)}` };
    }
    const lines = [];
    if (assocError && assocError.code === '0A000') lines.push('assoc raised feature_not_supported, not an error about the options');
    if (!seqError) lines.push('sequelize raised no error (harness: the case is wrong)');
    if (!assocError) lines.push('assoc raised no error; it returned ' + short(assocResult));
    if (seqError) lines.push('sequelize error: ' + errText(seqError));
    if (assocError) lines.push('assoc error: ' + errText(assocError));
    return { ok: false, details: lines.concat(shown()).join('\n') };
  }
  if (seqError || assocError) {
    const lines = [];
    if (seqError) lines.push('sequelize error: ' + errText(seqError) + (seqError.parent ? '' : ' (raised before any SQL: a harness problem?)'));
    if (assocError) {
      lines.push('assoc error: ' + errText(assocError));
      if (assocError.detail) lines.push('  detail: ' + assocError.detail);
      if (assocError.hint) lines.push('  hint: ' + assocError.hint);
    }
    return { ok: false, details: lines.concat(shown()).join('\n') };
  }

  // a polymorphic include (c.polymorphic): in any row that has it, its
  // object normalised as a row of the model its type names
  const poly = (side, v) => {
    if (!c.polymorphic || v === null || typeof v !== 'object' || v instanceof Date) return v;
    if (Array.isArray(v)) return v.map((x) => poly(side, x));
    const { key, type, models } = c.polymorphic;
    const out = {};
    for (const k of Object.keys(v)) {
      const target = k === key && s.models[models[v[type]]];
      out[k] = target ? canon(side, target, v[k], null) : poly(side, v[k]);
    }
    return out;
  };
  const canonical = (side, v0) => {
    const v = poly(side, v0);
    if (method === 'count') return v;
    if (method === 'findAndCountAll') return { count: v.count, rows: canon(side, model, v.rows, null) };
    return canon(side, model, v, null);
  };
  const a = canonical('sequelize', seqResult);
  const b = canonical('assoc', assocResult);
  if (JSON.stringify(a) === JSON.stringify(b)) {
    return { ok: true, note: VERBOSE ? 'sequelize JSON: ' + JSON.stringify(a) + '\nassoc JSON:     ' + JSON.stringify(b) : null };
  }
  const diffs = [];
  differences(a, b, '', diffs);
  const lines = ['differences (keys are column names, timestamps UTC instants):'];
  lines.push(...diffs.map((d) => '  ' + d));
  lines.push(...shown());
  if (!c.sql && method === 'findAll') {
    try {
      const r = await db.query('SELECT assoc.find_all_sql(quote_ident($1)::regclass, $2::jsonb) AS q', assocParams);
      lines.push('assoc.find_all_sql: ' + r.rows[0].q);
    } catch (e) {
      /* only for the diagnosis */
    }
  }
  lines.push(unifiedDiff(a, b));
  return { ok: false, details: lines.join('\n') };
}

function quoteLiteral(s) {
  return "'" + String(s).replace(/'/g, "''") + "'";
}

// -------------------------------------------------------------------- main

async function main() {
  const db = assocClient();
  await db.connect();
  await db.query(`SET client_min_messages = notice; SET TimeZone = ${quoteLiteral(TIMEZONE)}`);
  await db.query('CREATE EXTENSION IF NOT EXISTS assoc');
  const version = await db.query(`SELECT extversion FROM pg_extension WHERE extname = 'assoc'`);
  console.log(`# sequelize ${require('sequelize/package.json').version}, pg ${require('pg/package.json').version}, node ${process.version}, assoc ${version.rows[0].extversion}, ${(await db.query('SHOW server_version')).rows[0].server_version}`);
  console.log(`# database ${CONN.database} on ${CONN.host}:${CONN.port}; assoc's session TimeZone ${TIMEZONE}`);

  for (const c of CASES) {
    if (!SCENARIOS[c.scenario]) throw new Error(`harness: case "${c.name}" names no known scenario "${c.scenario}"`);
  }
  const selected = CASES.filter((c) => !ONLY || ONLY.test(`${c.scenario}: ${c.name}`));
  const order = [...new Set(selected.map((c) => c.scenario))];

  for (const name of order) {
    const scenario = SCENARIOS[name];
    const cases = selected.filter((c) => c.scenario === name);
    const setup = await setUp(db, name, scenario);
    if (setup.skip) {
      for (const c of cases) skip(`${name}: ${c.name}`, setup.skip);
      continue;
    }
    if (setup.error) {
      notOk(`${name}: set-up (Sequelize sync, data, assoc declarations)`, setup.error);
      for (const c of cases) notOk(`${name}: ${c.name}`, 'the scenario could not be set up');
      continue;
    }
    if (setup.problems.length) notOk(`${name}: assoc declarations adopt Sequelize's columns and constraints`, setup.problems.join('\n'));
    else ok(`${name}: assoc declarations adopt Sequelize's columns and constraints`);

    for (const c of cases) {
      let r;
      try {
        r = await runCase(db, setup.s, c);
      } catch (e) {
        r = { ok: false, details: 'harness error: ' + (e.stack || e) };
      }
      if (r.ok) {
        ok(`${name}: ${c.name}`);
        if (r.note && VERBOSE) diag(r.note);
      } else {
        notOk(`${name}: ${c.name}`, r.details);
      }
    }
    await setup.s.close();
  }
  await db.end();

  if (skipped) console.log(`# ${skipped} skipped`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
}

main().catch((e) => {
  console.log('Bail out! ' + (e.stack || e));
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exitCode = 2;
});
