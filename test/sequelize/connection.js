// The Sequelize connection options of the node programs of test/sequelize,
// from the libpq environment: PGHOST (a host name or a Unix socket
// directory), PGPORT, PGUSER, PGPASSWORD, PGDATABASE.

'use strict';

const os = require('os');

const env = process.env;

module.exports = {
  dialect: 'postgres',
  // a Unix socket directory works as the host, as for libpq
  host: env.PGHOST || 'localhost',
  port: Number(env.PGPORT || 5432),
  username: env.PGUSER || os.userInfo().username,
  password: env.PGPASSWORD || undefined,
  database: env.PGDATABASE || env.PGUSER || os.userInfo().username,
};
