// test/drivers/node_pg.js: the node-pg side of the driver battery
// (battery.py, test/extra/drivers.sh).  Reads the cases (JSON) on standard
// input, runs each in a transaction that is rolled back, and prints one line
// a case: name TAB R TAB rows (joined by \x1f) TAB state, name TAB E TAB
// sqlstate TAB message, or name TAB S TAB why (no natural binding); tabs,
// newlines and backslashes in values are escaped with a backslash.
// node-pg sends every parameter untyped, as text: numbers as '1', arrays as
// '{1,2}', BigInts as '1'.  With argument "prepared", every call is a named
// prepared statement (parsed once, executed with its parameters).
'use strict';

const path = require('path');
// node-pg from test/sequelize's node_modules (ensure_packages.sh)
const pg = require(path.join(__dirname, '..', 'sequelize', 'node_modules', 'pg'));

const prepared = process.argv[2] === 'prepared';

function esc(s) {
  return String(s).replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}

function params(c) {
  const out = [];
  for (const [kind, v] of c.params) {
    switch (kind) {
      case 'key': out.push(Number(v)); break;
      case 'big': out.push(BigInt(v)); break;
      case 'huge': return null; // a JS number beyond int4 is sent as text, untyped: no int8 binding
      case 'keys': out.push(v ? v.split(',').map(Number) : []); break;
      case 'bigs': out.push(v ? v.split(',').map(BigInt) : []); break;
      case 'str': case 'strs': out.push(v); break;
      case 'json': out.push(v); break;
      case 'null': out.push(null); break;
      default: throw new Error('unknown kind ' + kind);
    }
  }
  return out;
}

async function main() {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const cases = JSON.parse(input);
  const client = new pg.Client();
  await client.connect();
  const lines = [];
  let n = 0;
  for (const c of cases) {
    const values = params(c);
    if (values === null) {
      lines.push(`${c.name}\tS\tno natural binding`);
      continue;
    }
    await client.query('BEGIN');
    try {
      await client.query('SELECT drivers_reset()');
      const q = prepared ? { name: `case${n++}`, text: c.sql, values } : { text: c.sql, values };
      const res = await client.query(q);
      const rows = res.rows.map((r) => {
        const v = r[res.fields[0].name];
        return v === null ? '\\N' : v;
      });
      const st = await client.query('SELECT drivers_state() AS s');
      lines.push(`${c.name}\tR\t${esc(rows.join('\x1f'))}\t${esc(st.rows[0].s)}`);
    } catch (e) {
      if (!e.code) throw e;
      lines.push(`${c.name}\tE\t${e.code}\t${esc(e.message)}`);
    } finally {
      await client.query('ROLLBACK');
    }
  }
  await client.end();
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
