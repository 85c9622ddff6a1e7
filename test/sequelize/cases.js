// The data of the Sequelize comparison (compare.js): scenarios and cases.
//
// A SCENARIO is a set of Sequelize models, the associations between them and
// the rows to insert.  compare.js sets each one up in an empty `public`
// schema: Sequelize defines the models and declares the associations,
// `sequelize.sync()` creates the tables (so the schema is exactly
// Sequelize's), `bulkCreate` inserts the rows (with their fixed ids and
// timestamps), and then the same associations are declared through assoc
// (`assoc.has_many(...)` ...), which must adopt Sequelize's columns and
// constraints.
//
//   define(s, DataTypes)   defines the models on the Sequelize instance s
//   associations           [{ kind, source, target, as, foreignKey, through, otherKey,
//                             sourceKey, targetKey }]
//                          kind: hasMany | belongsTo | hasOne | belongsToMany;
//                          source/target/through: model names.  Each is
//                          declared in this order on both sides: Sequelize's
//                          Source.kind(Target, {as, foreignKey, through, otherKey, ...}),
//                          assoc.<kind>(source table, target table,
//                          alias => as, foreign_key => foreignKey, through =>,
//                          other_key =>, source_key =>, target_key =>)
//                          (arguments not given are left to their defaults)
//                          scope, throughScope, constraints (false): Sequelize's
//                          scope, through: {model, scope} and constraints
//                          options, assoc's scope =>, through_scope =>,
//                          constraints =>
//   underscored            pass underscored => true to the assoc declarations
//   data                   [[modelName, [rows...]], ...] in insertion order;
//                          rows use Sequelize's attribute names
//   requires               assoc functions the scenario needs ('belongs_to_many');
//                          its cases are skipped while one is missing
//   assocAfter             SQL statements run after the assoc declarations
//                          (and after the check that they kept Sequelize's
//                          schema): declarations beyond Sequelize's, such as
//                          assoc.polymorphic
//
// A CASE compares one findAll:
//
//   name                   printed in the ok / not ok line
//   scenario               a key of SCENARIOS
//   model                  the Sequelize model name of the root
//   options                findAll options in assoc's JSON form (README,
//                          "assoc.find_all"): column names, association
//                          aliases, "$gt"-style operators.  Passed as they are to
//                          assoc.find_all('<table>', options), and translated
//                          for Sequelize (column → attribute name, "$op" → Op.op,
//                          aliases → {association}).
//   sql                    instead of find_all, run this statement on the assoc
//                          side (the generated loaders); each row's first
//                          column is one JSON object
//   seqOrder               the `order` given to Sequelize instead of the
//                          computed one
//   seq(models, Op)        the whole Sequelize options object instead of the
//                          translation of `options` (nothing is added)
//   expectError            both sides must raise an error
//   method                 'findAll' (the default), 'count' or 'findAndCountAll':
//                          the Sequelize method, compared with assoc.count or
//                          assoc.find_and_count_all (the count as a number;
//                          {count, rows} with the rows as findAll's)
//   call(models)           instead of findAll, call this on the Sequelize side (an
//                          accessor: getPosts, countPosts, ...), compared with the
//                          rows of `sql` (instances, one instance, null or a value)
//   seqFn(models, Op)      instead of findAll, these instances (or plain
//                          objects) on the Sequelize side: an accessor's
//                          answer (getBigPugs, countComments), to compare with
//                          `sql` on the assoc side
//   polymorphic            { key, type, models }: each row's `key` is an
//                          object of the model that models[row[type]] names
//                          (or null), normalised as that model's rows: a
//                          polymorphic include, which Sequelize has not (its
//                          side builds it in seqFn, as its manual's getter)
//
// A WRITE CASE compares what writers do (compare.js, runWriteCase): the
// tables of `tables` (model names) are saved; seqWrite(models, Op) runs,
// then `state` (SQL, one JSON value per row) is read; the tables are put
// back and `assocWrite` (SQL) runs, and `state` is read again: the two must
// be equal.
//
// Sequelize has no default order, assoc orders by primary key: unless `seq`
// or `seqOrder` is given, compare.js adds to Sequelize's `order` the primary
// key of the root (when `options` has no `order`) and of every hasMany /
// belongsToMany include whose path the case's `order` does not mention
// (inside the include for limited / separate includes).

'use strict';

// Fixed timestamps, with milliseconds: ts(0) is 2024-01-02T03:04:05.123Z.
const T0 = Date.UTC(2024, 0, 2, 3, 4, 5, 123);
const ts = (n) => new Date(T0 + n * 61001);
// createdAt/updatedAt for the n-th row of a table
const stamps = (n) => ({ createdAt: ts(n), updatedAt: ts(n + 500) });
const rows = (list, base) => list.map((r, i) => ({ ...r, ...stamps(base + i) }));

// ------------------------------------------------------------------ scenarios

// The seed: owners and pugs, plus toys (for two levels) and profiles (has_one).
// Rows are inserted out of key order, so that heap order is not key order.
const seedData = [
  ['owner', rows([
    { id: 3, name: 'Bob' },
    { id: 1, name: 'Tom' },
    { id: 4, name: 'Dee' },
    { id: 2, name: 'Ann' },
  ], 0)],
  ['pug', rows([
    { id: 5, name: 'Gus', ownerId: 1 },
    { id: 1, name: 'Cody', ownerId: 1 },
    { id: 7, name: 'Ivy', ownerId: 4 },
    { id: 3, name: 'Ella', ownerId: 2 },
    { id: 8, name: null, ownerId: 2 },
    { id: 2, name: 'Dot', ownerId: 1 },
    { id: 6, name: 'Hal', ownerId: 4 },
    { id: 4, name: 'Fig', ownerId: null },
  ], 10)],
  ['toy', rows([
    { id: 4, label: 'disc', pugId: 6 },
    { id: 2, label: 'rope', pugId: 1 },
    { id: 5, label: 'lost', pugId: null },
    { id: 1, label: 'ball', pugId: 1 },
    { id: 3, label: 'bone', pugId: 3 },
  ], 30)],
  ['profile', rows([
    { id: 2, bio: 'Dee bio', ownerId: 4 },
    { id: 1, bio: 'Tom bio', ownerId: 1 },
    { id: 3, bio: 'stray', ownerId: null },
  ], 40)],
];

function defineSeed(s, DataTypes) {
  s.define('owner', { name: DataTypes.STRING });
  s.define('pug', { name: DataTypes.STRING });
  s.define('toy', { label: DataTypes.STRING });
  s.define('profile', { bio: DataTypes.STRING });
}

const SCENARIOS = {
  // has_many declared first, as in the seed
  seed: {
    define: defineSeed,
    associations: [
      { kind: 'hasMany', source: 'owner', target: 'pug' },
      { kind: 'belongsTo', source: 'pug', target: 'owner' },
      { kind: 'hasMany', source: 'pug', target: 'toy' },
      { kind: 'belongsTo', source: 'toy', target: 'pug' },
      { kind: 'hasOne', source: 'owner', target: 'profile' },
      { kind: 'belongsTo', source: 'profile', target: 'owner' },
    ],
    data: seedData,
  },

  // the other direction: belongs_to declared first
  seed_belongs_to_first: {
    define(s, DataTypes) {
      s.define('owner', { name: DataTypes.STRING });
      s.define('pug', { name: DataTypes.STRING });
    },
    associations: [
      { kind: 'belongsTo', source: 'pug', target: 'owner' },
      { kind: 'hasMany', source: 'owner', target: 'pug' },
    ],
    data: seedData.slice(0, 2),
  },

  // define('Owner'): tables "Owners", "Pugs", "Profiles"; column "OwnerId";
  // aliases "Pugs", "Owner", "Profile"
  capitalised: {
    define(s, DataTypes) {
      s.define('Owner', { name: DataTypes.STRING });
      s.define('Pug', { name: DataTypes.STRING });
      s.define('Profile', { bio: DataTypes.STRING });
    },
    associations: [
      { kind: 'hasMany', source: 'Owner', target: 'Pug' },
      { kind: 'belongsTo', source: 'Pug', target: 'Owner' },
      { kind: 'hasOne', source: 'Owner', target: 'Profile' },
    ],
    data: [
      ['Owner', rows([{ id: 2, name: 'Ann' }, { id: 1, name: 'Tom' }, { id: 3, name: 'Bob' }], 0)],
      ['Pug', rows([
        { id: 3, name: 'Ella', OwnerId: 2 },
        { id: 1, name: 'Cody', OwnerId: 1 },
        { id: 4, name: 'Fig', OwnerId: null },
        { id: 2, name: 'Dot', OwnerId: 1 },
      ], 10)],
      ['Profile', rows([{ id: 1, bio: 'Ann bio', OwnerId: 2 }], 20)],
    ],
  },

  // underscored: true: columns first_name, created_at, owner_id; JSON keys
  // of Sequelize are attribute names (firstName, createdAt, ownerId)
  underscored: {
    define(s, DataTypes) {
      const o = { underscored: true };
      s.define('owner', { name: DataTypes.STRING, firstName: DataTypes.STRING }, o);
      s.define('pug', { name: DataTypes.STRING, nickName: DataTypes.STRING }, o);
      s.define('toy', { label: DataTypes.STRING }, o);
    },
    underscored: true,
    associations: [
      { kind: 'hasMany', source: 'owner', target: 'pug' },
      { kind: 'belongsTo', source: 'pug', target: 'owner' },
      { kind: 'hasMany', source: 'pug', target: 'toy' },
      { kind: 'belongsTo', source: 'toy', target: 'pug' },
    ],
    data: [
      ['owner', rows([
        { id: 2, name: 'Ann', firstName: 'Annabel' },
        { id: 1, name: 'Tom', firstName: 'Thomas' },
        { id: 3, name: 'Bob', firstName: null },
      ], 0)],
      ['pug', rows([
        { id: 3, name: 'Ella', nickName: 'El', ownerId: 2 },
        { id: 1, name: 'Cody', nickName: 'Co', ownerId: 1 },
        { id: 2, name: 'Dot', nickName: null, ownerId: 1 },
        { id: 4, name: 'Fig', nickName: 'Fi', ownerId: null },
      ], 10)],
      ['toy', rows([{ id: 2, label: 'rope', pugId: 1 }, { id: 1, label: 'ball', pugId: 1 }], 20)],
    ],
  },

  // custom alias and foreign key on both sides: one column "keeperId"
  alias_fk: {
    define(s, DataTypes) {
      s.define('owner', { name: DataTypes.STRING });
      s.define('pug', { name: DataTypes.STRING });
    },
    associations: [
      { kind: 'hasMany', source: 'owner', target: 'pug', as: 'favoritePugs', foreignKey: 'keeperId' },
      { kind: 'belongsTo', source: 'pug', target: 'owner', as: 'keeper', foreignKey: 'keeperId' },
    ],
    data: [
      ['owner', rows([{ id: 2, name: 'Ann' }, { id: 1, name: 'Tom' }, { id: 3, name: 'Bob' }], 0)],
      ['pug', rows([
        { id: 3, name: 'Ella', keeperId: 2 },
        { id: 1, name: 'Cody', keeperId: 1 },
        { id: 4, name: 'Fig', keeperId: null },
        { id: 2, name: 'Dot', keeperId: 1 },
      ], 10)],
    ],
  },

  // aliases without foreign keys: the derived names differ, so Sequelize
  // makes two columns, "ownerId" (hasMany 'pets') and "masterId"
  // (belongsTo 'master'); assoc must derive the same two
  alias_only: {
    define(s, DataTypes) {
      s.define('owner', { name: DataTypes.STRING });
      s.define('pug', { name: DataTypes.STRING });
    },
    associations: [
      { kind: 'hasMany', source: 'owner', target: 'pug', as: 'pets' },
      { kind: 'belongsTo', source: 'pug', target: 'owner', as: 'master' },
    ],
    data: [
      ['owner', rows([{ id: 2, name: 'Ann' }, { id: 1, name: 'Tom' }], 0)],
      ['pug', rows([
        { id: 2, name: 'Dot', ownerId: 1, masterId: 2 },
        { id: 1, name: 'Cody', ownerId: 1, masterId: null },
        { id: 3, name: 'Ella', ownerId: null, masterId: 1 },
      ], 10)],
    ],
  },

  // value types: Sequelize prints BIGINT and DECIMAL as strings (compared
  // numerically), DATEONLY as text, JSON as parsed JSON
  values: {
    define(s, DataTypes) {
      s.define('item', {
        label: DataTypes.TEXT,
        flag: DataTypes.BOOLEAN,
        born: DataTypes.DATEONLY,
        score: DataTypes.DOUBLE,
        ratio: DataTypes.REAL,
        price: DataTypes.DECIMAL(10, 2),
        big: DataTypes.BIGINT,
        meta: DataTypes.JSON,
        doc: DataTypes.JSONB,
        tags: DataTypes.ARRAY(DataTypes.TEXT),
        ref: DataTypes.UUID,
        seen: DataTypes.DATE,
      });
      s.define('part', { label: DataTypes.STRING });
    },
    associations: [
      { kind: 'hasMany', source: 'item', target: 'part' },
      { kind: 'belongsTo', source: 'part', target: 'item' },
    ],
    data: [
      ['item', rows([
        {
          id: 2, label: 'quotes "\'" \\ and ünïcödé ☃', flag: false, born: '1990-05-06', score: 1.5, ratio: 0.25,
          price: '12.50', big: '9007199254740991', meta: { b: 1, a: [2, null], c: 'x' }, doc: { z: 1, a: { y: true } },
          tags: ['a', 'b c', ''], ref: '0e5f1d3c-9a6b-4c1e-8f00-7d2a3b4c5d6e', seen: new Date(Date.UTC(1999, 11, 31, 23, 59, 59, 999)),
        },
        {
          id: 1, label: '', flag: true, born: null, score: -0.1, ratio: null, price: '0.00', big: '-5',
          meta: null, doc: [], tags: [], ref: null, seen: null,
        },
      ], 0)],
      ['part', rows([{ id: 1, label: 'x', itemId: 2 }, { id: 2, label: 'y', itemId: 2 }], 10)],
    ],
  },

  // a self association: children / parent through one column "parentId"
  self: {
    define(s, DataTypes) {
      s.define('person', { name: DataTypes.STRING });
    },
    associations: [
      { kind: 'hasMany', source: 'person', target: 'person', as: 'children', foreignKey: 'parentId' },
      { kind: 'belongsTo', source: 'person', target: 'person', as: 'parent', foreignKey: 'parentId' },
    ],
    data: [
      ['person', rows([
        { id: 1, name: 'Gran', parentId: null },
        { id: 3, name: 'Mum', parentId: 1 },
        { id: 2, name: 'Uncle', parentId: 1 },
        { id: 5, name: 'Kid', parentId: 3 },
        { id: 4, name: 'Baby', parentId: 3 },
        { id: 6, name: 'Loner', parentId: null },
      ], 0)],
    ],
  },

  // keys other than an integer "id": a text primary key (countries.code),
  // and a has_many / belongs_to on a unique non-key column (owners.code),
  // whose foreign key Sequelize still names after the primary key (ownerId)
  keys: {
    define(s, DataTypes) {
      s.define('country', { code: { type: DataTypes.STRING, primaryKey: true }, name: DataTypes.STRING });
      s.define('city', { name: DataTypes.STRING });
      s.define('owner', { code: { type: DataTypes.STRING, unique: true, allowNull: false }, name: DataTypes.STRING });
      s.define('pug', { name: DataTypes.STRING });
    },
    associations: [
      { kind: 'hasMany', source: 'country', target: 'city' },
      { kind: 'belongsTo', source: 'city', target: 'country' },
      { kind: 'hasMany', source: 'owner', target: 'pug', sourceKey: 'code' },
      { kind: 'belongsTo', source: 'pug', target: 'owner', targetKey: 'code' },
    ],
    data: [
      ['country', rows([{ code: 'nl', name: 'Netherlands' }, { code: 'be', name: 'Belgium' }, { code: 'lu', name: 'Luxembourg' }], 0)],
      ['city', rows([
        { id: 3, name: 'Ghent', countryCode: 'be' },
        { id: 1, name: 'Utrecht', countryCode: 'nl' },
        { id: 2, name: 'Delft', countryCode: 'nl' },
        { id: 4, name: 'Atlantis', countryCode: null },
      ], 10)],
      ['owner', rows([{ id: 1, code: 'T', name: 'Tom' }, { id: 2, code: 'A', name: 'Ann' }], 20)],
      ['pug', rows([
        { id: 2, name: 'Dot', ownerId: 'T' },
        { id: 1, name: 'Cody', ownerId: 'T' },
        { id: 3, name: 'Ella', ownerId: 'A' },
      ], 30)],
    ],
  },

  // two has_many from one table to the same target, with two columns
  two_aliases: {
    define(s, DataTypes) {
      s.define('owner', { name: DataTypes.STRING });
      s.define('pug', { name: DataTypes.STRING });
    },
    associations: [
      { kind: 'hasMany', source: 'owner', target: 'pug', as: 'pets' },
      { kind: 'hasMany', source: 'owner', target: 'pug', as: 'fosters', foreignKey: 'fosterId' },
    ],
    data: [
      ['owner', rows([{ id: 2, name: 'Ann' }, { id: 1, name: 'Tom' }], 0)],
      ['pug', rows([
        { id: 2, name: 'Dot', ownerId: 1, fosterId: 2 },
        { id: 1, name: 'Cody', ownerId: 1, fosterId: null },
        { id: 3, name: 'Ella', ownerId: 2, fosterId: 1 },
        { id: 4, name: 'Fig', ownerId: null, fosterId: 1 },
      ], 10)],
    ],
  },

  // belongs_to_many through a string model name (table "Enrollment", JSON
  // key "Enrollment"), declared on both sides
  btm: {
    requires: ['belongs_to_many'],
    define(s, DataTypes) {
      s.define('student', { name: DataTypes.STRING });
      s.define('course', { title: DataTypes.STRING });
    },
    associations: [
      { kind: 'belongsToMany', source: 'student', target: 'course', through: 'Enrollment' },
      { kind: 'belongsToMany', source: 'course', target: 'student', through: 'Enrollment' },
    ],
    data: [
      ['student', rows([{ id: 2, name: 'Ben' }, { id: 1, name: 'Amy' }, { id: 3, name: 'Cal' }], 0)],
      ['course', rows([{ id: 3, title: 'Bio' }, { id: 1, title: 'Math' }, { id: 2, title: 'Art' }, { id: 4, title: 'Chem' }], 10)],
      ['Enrollment', rows([
        { studentId: 1, courseId: 3 },
        { studentId: 2, courseId: 2 },
        { studentId: 1, courseId: 1 },
        { studentId: 1, courseId: 2 },
      ], 20)],
    ],
  },

  // belongs_to_many through a defined model with an extra column, custom
  // alias and keys
  btm_model: {
    requires: ['belongs_to_many'],
    define(s, DataTypes) {
      s.define('student', { name: DataTypes.STRING });
      s.define('course', { title: DataTypes.STRING });
      s.define('enrollment', { grade: DataTypes.STRING });
    },
    associations: [
      { kind: 'belongsToMany', source: 'student', target: 'course', through: 'enrollment', as: 'classes', foreignKey: 'pupilId', otherKey: 'klassId' },
      { kind: 'belongsToMany', source: 'course', target: 'student', through: 'enrollment', as: 'pupils', foreignKey: 'klassId', otherKey: 'pupilId' },
    ],
    data: [
      ['student', rows([{ id: 2, name: 'Ben' }, { id: 1, name: 'Amy' }, { id: 3, name: 'Cal' }], 0)],
      ['course', rows([{ id: 2, title: 'Art' }, { id: 1, title: 'Math' }, { id: 3, title: 'Bio' }], 10)],
      ['enrollment', rows([
        { pupilId: 2, klassId: 2, grade: 'B' },
        { pupilId: 1, klassId: 1, grade: 'A' },
        { pupilId: 1, klassId: 2, grade: 'C' },
        { pupilId: 2, klassId: 3, grade: 'A' },
      ], 20)],
    ],
  },

  // uncountable names: define('news') is table "news", Hub.hasMany(News)
  // has the alias "news" and the accessors getNews, addNews (one or an
  // array), ...; hasOne of "series", belongsToMany of "sheep"; and
  // "police", not uncountable: addPolouse and addPolice
  uncountable: {
    requires: ['belongs_to_many'],
    define(s, DataTypes) {
      s.define('hub', { name: DataTypes.STRING });
      s.define('news', { title: DataTypes.STRING });
      s.define('series', { title: DataTypes.STRING });
      s.define('sheep', { name: DataTypes.STRING });
      s.define('flock', { since: DataTypes.STRING });
      s.define('police', { badge: DataTypes.STRING }); // singular "polouse"
    },
    associations: [
      { kind: 'hasMany', source: 'hub', target: 'news' },
      { kind: 'belongsTo', source: 'news', target: 'hub' },
      { kind: 'hasOne', source: 'hub', target: 'series' },
      { kind: 'belongsTo', source: 'series', target: 'hub' },
      { kind: 'belongsToMany', source: 'hub', target: 'sheep', through: 'flock' },
      { kind: 'belongsToMany', source: 'sheep', target: 'hub', through: 'flock' },
      { kind: 'hasMany', source: 'hub', target: 'police' },
    ],
    data: [
      ['hub', rows([{ id: 2, name: 'South' }, { id: 1, name: 'North' }, { id: 3, name: 'East' }], 0)],
      ['news', rows([
        { id: 3, title: 'c', hubId: 1 },
        { id: 1, title: 'a', hubId: 1 },
        { id: 4, title: 'd', hubId: null },
        { id: 2, title: 'b', hubId: 2 },
      ], 10)],
      ['series', rows([{ id: 2, title: 'Beta', hubId: 1 }, { id: 1, title: 'Alpha', hubId: null }], 20)],
      ['sheep', rows([{ id: 2, name: 'Shaun' }, { id: 1, name: 'Dolly' }, { id: 3, name: 'Timmy' }], 30)],
      ['flock', rows([
        { hubId: 1, sheepId: 2, since: '2001' },
        { hubId: 2, sheepId: 1, since: '2002' },
        { hubId: 1, sheepId: 1, since: '2003' },
      ], 40)],
      ['police', rows([{ id: 1, badge: 'B1', hubId: 2 }], 50)],
    ],
  },
  // Model options (assoc.model, which compare.js declares from each model's
  // options when modelOptions is set): define('User', ..., {tableName:
  // 'app_users', paranoid}), custom and absent timestamps, a paranoid
  // through model
  models: {
    define: (s, DataTypes) => {
      s.define('User', { name: DataTypes.STRING }, { tableName: 'app_users', paranoid: true });
      s.define('Post', { title: DataTypes.STRING },
        { createdAt: 'created_on', updatedAt: false, paranoid: true, deletedAt: 'removed_on' });
      s.define('Tag', { label: DataTypes.STRING }, { timestamps: false });
      s.define('PostTag', { weight: DataTypes.INTEGER }, { paranoid: true });
    },
    modelOptions: true,
    associations: [
      { kind: 'hasMany', source: 'User', target: 'Post' },
      { kind: 'belongsTo', source: 'Post', target: 'User' },
      { kind: 'belongsToMany', source: 'Post', target: 'Tag', through: 'PostTag' },
      { kind: 'belongsToMany', source: 'Tag', target: 'Post', through: 'PostTag' },
    ],
    data: [
      ['User', [
        { id: 2, name: 'Ann', ...stamps(1) },
        { id: 1, name: 'Tom', ...stamps(0) },
        { id: 3, name: 'Gone', ...stamps(2), deletedAt: ts(9) },
      ]],
      ['Post', [
        { id: 3, title: 'three', UserId: 1, created_on: ts(12) },
        { id: 1, title: 'one', UserId: 1, created_on: ts(10) },
        { id: 2, title: 'two', UserId: 1, created_on: ts(11), removed_on: ts(20) },
        { id: 4, title: 'four', UserId: 2, created_on: ts(13) },
        { id: 5, title: 'five', UserId: 3, created_on: ts(14) },
      ]],
      ['Tag', [{ id: 1, label: 'a' }, { id: 2, label: 'b' }, { id: 3, label: 'c' }]],
      ['PostTag', [
        { PostId: 1, TagId: 1, weight: 1, ...stamps(30) },
        { PostId: 1, TagId: 2, weight: 2, ...stamps(31), deletedAt: ts(40) },
        { PostId: 3, TagId: 3, weight: 3, ...stamps(32) },
        { PostId: 2, TagId: 1, weight: 4, ...stamps(33) },
      ]],
    ],
  },
  // underscored models: the foreign key's column owner_id and the timestamp
  // columns come from the models' underscored, not from the declarations
  modelsUnderscored: {
    define: (s, DataTypes) => {
      s.define('Keeper', { fullName: DataTypes.STRING }, { tableName: 'app_keepers', underscored: true, paranoid: true });
      s.define('Pet', { petName: DataTypes.STRING }, { underscored: true });
    },
    modelOptions: true,
    associations: [
      { kind: 'hasMany', source: 'Keeper', target: 'Pet' },
      { kind: 'belongsTo', source: 'Pet', target: 'Keeper' },
    ],
    data: [
      ['Keeper', [
        { id: 1, fullName: 'Tom', ...stamps(0) },
        { id: 2, fullName: 'Gone', ...stamps(1), deletedAt: ts(5) },
      ]],
      ['Pet', [
        { id: 2, petName: 'Rex', KeeperId: 1, ...stamps(10) },
        { id: 1, petName: 'Bo', KeeperId: 2, ...stamps(11) },
        { id: 3, petName: 'Lu', KeeperId: 1, ...stamps(12) },
      ]],
    ],
  },

  // scopes: two scoped has_many of one pair (bigPugs, smallPugs on one
  // "ownerId"), and a belongs_to_many whose links carry a role
  scoped: {
    define(s, DataTypes) {
      s.define('owner', { name: DataTypes.STRING });
      s.define('pug', { name: DataTypes.STRING, size: DataTypes.STRING });
      s.define('student', { name: DataTypes.STRING });
      s.define('course', { title: DataTypes.STRING, level: DataTypes.STRING });
      s.define('enrollment', { role: DataTypes.STRING });
    },
    associations: [
      { kind: 'hasMany', source: 'owner', target: 'pug', as: 'bigPugs', foreignKey: 'ownerId', scope: { size: 'big' } },
      { kind: 'hasMany', source: 'owner', target: 'pug', as: 'smallPugs', foreignKey: 'ownerId', scope: { size: 'small' } },
      { kind: 'belongsTo', source: 'pug', target: 'owner' },
      { kind: 'belongsToMany', source: 'student', target: 'course', through: 'enrollment', as: 'taughtCourses', throughScope: { role: 'teacher' } },
      { kind: 'belongsToMany', source: 'student', target: 'course', through: 'enrollment', as: 'advancedCourses',
        scope: { level: 'advanced' }, throughScope: { role: 'student' } },
    ],
    requires: ['belongs_to_many'],
    data: [
      ['owner', rows([{ id: 2, name: 'Ann' }, { id: 1, name: 'Tom' }, { id: 3, name: 'Bob' }], 0)],
      ['pug', rows([
        { id: 3, name: 'Ella', size: 'big', ownerId: 2 },
        { id: 1, name: 'Cody', size: 'big', ownerId: 1 },
        { id: 2, name: 'Dot', size: 'small', ownerId: 1 },
        { id: 5, name: 'Gus', size: null, ownerId: 1 },
        { id: 4, name: 'Fig', size: 'small', ownerId: null },
        { id: 6, name: 'Hal', size: 'big', ownerId: 1 },
      ], 10)],
      ['student', rows([{ id: 1, name: 'Amy' }, { id: 2, name: 'Ben' }], 20)],
      ['course', rows([{ id: 1, title: 'Math', level: 'advanced' }, { id: 2, title: 'Art', level: 'basic' },
        { id: 3, title: 'Law', level: 'advanced' }], 30)],
      ['enrollment', rows([
        { studentId: 1, courseId: 1, role: 'teacher' },
        { studentId: 1, courseId: 2, role: 'student' },
        { studentId: 1, courseId: 3, role: 'student' },
        { studentId: 2, courseId: 3, role: 'teacher' },
      ], 40)],
    ],
  },

  // Sequelize's polymorphic pattern (its manual, "Polymorphic
  // associations"): comments of images and videos, commentableId and
  // commentableType, a scoped hasMany from each target and a belongsTo per
  // target, constraints: false
  polymorphic: {
    define(s, DataTypes) {
      s.define('image', { title: DataTypes.STRING, url: DataTypes.STRING });
      s.define('video', { title: DataTypes.STRING, text: DataTypes.STRING });
      s.define('comment', { title: DataTypes.STRING, commentableId: DataTypes.INTEGER, commentableType: DataTypes.STRING });
    },
    associations: [
      { kind: 'hasMany', source: 'image', target: 'comment', foreignKey: 'commentableId', constraints: false, scope: { commentableType: 'image' } },
      { kind: 'hasMany', source: 'video', target: 'comment', foreignKey: 'commentableId', constraints: false, scope: { commentableType: 'video' } },
      { kind: 'belongsTo', source: 'comment', target: 'image', foreignKey: 'commentableId', constraints: false },
      { kind: 'belongsTo', source: 'comment', target: 'video', foreignKey: 'commentableId', constraints: false },
    ],
    data: [
      ['image', rows([{ id: 1, title: 'sunset', url: 'a.png' }, { id: 2, title: 'dawn', url: 'b.png' }], 0)],
      ['video', rows([{ id: 1, title: 'cats', text: 'meow' }, { id: 3, title: 'dogs', text: 'woof' }], 10)],
      ['comment', rows([
        { id: 4, title: 'nice', commentableId: 1, commentableType: 'image' },
        { id: 1, title: 'meh', commentableId: 1, commentableType: 'video' },
        { id: 2, title: 'wow', commentableId: 2, commentableType: 'image' },
        { id: 3, title: 'lol', commentableId: 3, commentableType: 'video' },
        { id: 5, title: 'more', commentableId: 1, commentableType: 'image' },
      ], 20)],
    ],
  },
};

// The same, with the pair declared polymorphic (assoc.polymorphic): the
// include of "commentable", which the Sequelize manual builds with a getter
// over the includes of image and video
SCENARIOS.polymorphicEnforced = {
  ...SCENARIOS.polymorphic,
  assocAfter: ["SELECT assoc.polymorphic('comments', 'commentable', ARRAY['images', 'videos']::regclass[])"],
};

// Sequelize's manual, "Polymorphic associations": findAll including Image
// and Video (constraints: false, both read through commentableId), then the
// getter commentable picks the one commentableType names
const withCommentable = (comments) => comments.map((c) => {
  const { image, video, ...rest } = c.toJSON();
  const type = rest.commentableType;
  return { ...rest, commentable: type === 'image' ? image : type === 'video' ? video : null };
});
const commentable = { key: 'commentable', type: 'commentableType', models: { image: 'image', video: 'video' } };

// ---------------------------------------------------------------------- cases

const CASES = [
  // --- the generated loaders (README, "Eager loading")
  { name: 'loader owner_with_pugs()', scenario: 'seed', model: 'owner', sql: 'SELECT * FROM owner_with_pugs()', options: { include: ['pugs'] } },
  { name: 'loader pug_with_owner()', scenario: 'seed', model: 'pug', sql: 'SELECT * FROM pug_with_owner()', options: { include: ['owner'] } },
  { name: 'loader owner_with_profile()', scenario: 'seed', model: 'owner', sql: 'SELECT * FROM owner_with_profile()', options: { include: ['profile'] } },
  { name: 'loader profile_with_owner()', scenario: 'seed', model: 'profile', sql: 'SELECT * FROM profile_with_owner()', options: { include: ['owner'] } },
  { name: 'loader pug_with_toys()', scenario: 'seed', model: 'pug', sql: 'SELECT * FROM pug_with_toys()', options: { include: ['toys'] } },
  { name: 'loader toy_with_pug()', scenario: 'seed', model: 'toy', sql: 'SELECT * FROM toy_with_pug()', options: { include: ['pug'] } },
  {
    name: 'loader row form: owner_with_pugs(o) ... WHERE name LIKE \'%o%\'', scenario: 'seed', model: 'owner',
    sql: "SELECT owner_with_pugs(o) FROM owners o WHERE o.name LIKE '%o%' ORDER BY o.id",
    options: { where: { name: { $like: '%o%' } }, include: ['pugs'] },
  },
  { name: 'loader key form: owner_with_pugs(2)', scenario: 'seed', model: 'owner', sql: 'SELECT owner_with_pugs(2)', options: { where: { id: 2 }, include: ['pugs'] } },
  { name: 'loader key form: pug_with_owner(4), no owner', scenario: 'seed', model: 'pug', sql: 'SELECT pug_with_owner(4)', options: { where: { id: 4 }, include: ['owner'] } },
  { name: 'loader owner_with_pugs()', scenario: 'seed_belongs_to_first', model: 'owner', sql: 'SELECT * FROM owner_with_pugs()', options: { include: ['pugs'] } },
  { name: 'loader pug_with_owner()', scenario: 'seed_belongs_to_first', model: 'pug', sql: 'SELECT * FROM pug_with_owner()', options: { include: ['owner'] } },
  { name: 'loader owner_with_pugs()', scenario: 'capitalised', model: 'Owner', sql: 'SELECT * FROM owner_with_pugs()', options: { include: ['Pugs'] } },
  { name: 'loader pug_with_owner()', scenario: 'capitalised', model: 'Pug', sql: 'SELECT * FROM pug_with_owner()', options: { include: ['Owner'] } },
  { name: 'loader owner_with_profile()', scenario: 'capitalised', model: 'Owner', sql: 'SELECT * FROM owner_with_profile()', options: { include: ['Profile'] } },
  { name: 'loader owner_with_pugs()', scenario: 'underscored', model: 'owner', sql: 'SELECT * FROM owner_with_pugs()', options: { include: ['pugs'] } },
  { name: 'loader pug_with_owner()', scenario: 'underscored', model: 'pug', sql: 'SELECT * FROM pug_with_owner()', options: { include: ['owner'] } },
  { name: 'loader owner_with_favorite_pugs()', scenario: 'alias_fk', model: 'owner', sql: 'SELECT * FROM owner_with_favorite_pugs()', options: { include: ['favoritePugs'] } },
  { name: 'loader pug_with_keeper()', scenario: 'alias_fk', model: 'pug', sql: 'SELECT * FROM pug_with_keeper()', options: { include: ['keeper'] } },
  { name: 'loader owner_with_pets()', scenario: 'alias_only', model: 'owner', sql: 'SELECT * FROM owner_with_pets()', options: { include: ['pets'] } },
  { name: 'loader pug_with_master()', scenario: 'alias_only', model: 'pug', sql: 'SELECT * FROM pug_with_master()', options: { include: ['master'] } },
  { name: 'loader item_with_parts()', scenario: 'values', model: 'item', sql: 'SELECT * FROM item_with_parts()', options: { include: ['parts'] } },
  { name: 'loader part_with_item()', scenario: 'values', model: 'part', sql: 'SELECT * FROM part_with_item()', options: { include: ['item'] } },
  { name: 'loader student_with_courses()', scenario: 'btm', model: 'student', sql: 'SELECT * FROM student_with_courses()', options: { include: ['courses'] } },
  { name: 'loader course_with_students()', scenario: 'btm', model: 'course', sql: 'SELECT * FROM course_with_students()', options: { include: ['students'] } },
  { name: 'loader student_with_classes()', scenario: 'btm_model', model: 'student', sql: 'SELECT * FROM student_with_classes()', options: { include: ['classes'] } },
  { name: 'loader course_with_pupils()', scenario: 'btm_model', model: 'course', sql: 'SELECT * FROM course_with_pupils()', options: { include: ['pupils'] } },

  // --- find_all: the seed, both directions
  { name: 'Owner.findAll() no include', scenario: 'seed', model: 'owner', options: {} },
  { name: 'Owner include pugs', scenario: 'seed', model: 'owner', options: { include: ['pugs'] } },
  { name: 'Pug include owner', scenario: 'seed', model: 'pug', options: { include: ['owner'] } },
  { name: 'Owner include {association: pugs}', scenario: 'seed', model: 'owner', options: { include: [{ association: 'pugs' }] } },
  { name: 'Owner include {as: pugs}', scenario: 'seed', model: 'owner', options: { include: [{ as: 'pugs' }] } },
  { name: 'Owner include "pugs" (not a list)', scenario: 'seed', model: 'owner', options: { include: 'pugs' } },
  { name: 'Owner include profile (has_one)', scenario: 'seed', model: 'owner', options: { include: ['profile'] } },
  { name: 'Profile include owner', scenario: 'seed', model: 'profile', options: { include: ['owner'] } },
  { name: 'Owner include [pugs, profile]: key order', scenario: 'seed', model: 'owner', options: { include: ['pugs', 'profile'] } },
  { name: 'Owner include [profile, pugs]: key order', scenario: 'seed', model: 'owner', options: { include: ['profile', 'pugs'] } },
  { name: 'seed, belongs_to declared first: Owner include pugs', scenario: 'seed_belongs_to_first', model: 'owner', options: { include: ['pugs'] } },
  { name: 'seed, belongs_to declared first: Pug include owner', scenario: 'seed_belongs_to_first', model: 'pug', options: { include: ['owner'] } },

  // --- where / required
  { name: 'where on the root', scenario: 'seed', model: 'owner', options: { where: { name: 'Tom' }, include: ['pugs'] } },
  { name: 'include where (required by default)', scenario: 'seed', model: 'owner', options: { include: [{ association: 'pugs', where: { name: 'Cody' } }] } },
  { name: 'include where, required false', scenario: 'seed', model: 'owner', options: { include: [{ association: 'pugs', where: { name: 'Cody' }, required: false }] } },
  { name: 'include required true, no where', scenario: 'seed', model: 'owner', options: { include: [{ association: 'pugs', required: true }] } },
  { name: 'include required false, no where', scenario: 'seed', model: 'owner', options: { include: [{ association: 'pugs', required: false }] } },
  { name: 'Pug include owner required true', scenario: 'seed', model: 'pug', options: { include: [{ association: 'owner', required: true }] } },
  { name: 'Pug include owner where, required false', scenario: 'seed', model: 'pug', options: { include: [{ association: 'owner', where: { name: 'Tom' }, required: false }] } },
  { name: 'Pug include owner where (required)', scenario: 'seed', model: 'pug', options: { include: [{ association: 'owner', where: { name: { $in: ['Tom', 'Dee'] } } }] } },
  { name: 'Owner include profile where', scenario: 'seed', model: 'owner', options: { include: [{ association: 'profile', where: { bio: { $like: 'T%' } } }] } },
  { name: 'where and include where together', scenario: 'seed', model: 'owner', options: { where: { id: { $gte: 2 } }, include: [{ association: 'pugs', where: { name: { $ne: 'Ivy' } }, required: false }] } },

  // --- where operators (README, "assoc.find_all")
  { name: 'where $eq $ne', scenario: 'seed', model: 'pug', options: { where: { name: { $ne: 'Cody' }, ownerId: { $eq: 1 } } } },
  { name: 'where $gt $lte', scenario: 'seed', model: 'pug', options: { where: { id: { $gt: 2, $lte: 5 } } } },
  { name: 'where $lt $gte', scenario: 'seed', model: 'pug', options: { where: { id: { $lt: 7, $gte: 6 } } } },
  { name: 'where $in $notIn', scenario: 'seed', model: 'pug', options: { where: { id: { $in: [1, 2, 3, 8] }, name: { $notIn: ['Dot'] } } } },
  { name: 'where $like $notLike', scenario: 'seed', model: 'pug', options: { where: { name: { $like: '%o%', $notLike: 'D%' } } } },
  { name: 'where $iLike', scenario: 'seed', model: 'pug', options: { where: { name: { $iLike: 'c%' } } } },
  { name: 'where $between', scenario: 'seed', model: 'pug', options: { where: { id: { $between: [2, 4] } } } },
  { name: 'where $is null', scenario: 'seed', model: 'pug', options: { where: { ownerId: { $is: null } } } },
  { name: 'where null (equality)', scenario: 'seed', model: 'pug', options: { where: { name: null } } },
  { name: 'where $not', scenario: 'seed', model: 'pug', options: { where: { ownerId: { $not: null } } } },
  { name: 'where $or', scenario: 'seed', model: 'pug', options: { where: { $or: [{ name: 'Cody' }, { ownerId: 4 }] } } },
  { name: 'where $and', scenario: 'seed', model: 'pug', options: { where: { $and: [{ ownerId: 1 }, { name: { $gt: 'Cody' } }] } } },
  { name: 'where $in []', scenario: 'seed', model: 'pug', options: { where: { id: { $in: [] } } } },
  { name: 'where on a timestamp', scenario: 'seed', model: 'pug', options: { where: { createdAt: { $gt: '2024-01-02T03:16:15.138Z' } } } },

  // --- attributes
  { name: 'attributes on the root', scenario: 'seed', model: 'owner', options: { attributes: ['name'], include: ['pugs'] } },
  { name: 'attributes on the include', scenario: 'seed', model: 'owner', options: { include: [{ association: 'pugs', attributes: ['name'] }] } },
  { name: 'attributes exclude on both', scenario: 'seed', model: 'owner', options: { attributes: { exclude: ['createdAt', 'updatedAt'] }, include: [{ association: 'pugs', attributes: { exclude: ['createdAt', 'updatedAt'] } }] } },
  { name: 'Pug attributes without the foreign key, include owner', scenario: 'seed', model: 'pug', options: { attributes: ['name'], include: ['owner'] } },
  { name: 'Pug include owner attributes', scenario: 'seed', model: 'pug', options: { include: [{ association: 'owner', attributes: ['name'] }] } },
  { name: 'include attributes [] (no key)', scenario: 'seed', model: 'owner', options: { include: [{ association: 'pugs', attributes: [] }] } },
  { name: 'attributes in a different order', scenario: 'seed', model: 'pug', options: { attributes: ['ownerId', 'name', 'id'] } },

  // --- nested includes
  { name: 'nested: Owner include pugs include toys', scenario: 'seed', model: 'owner', options: { include: [{ association: 'pugs', include: ['toys'] }] } },
  { name: 'nested: Toy include pug include owner', scenario: 'seed', model: 'toy', options: { include: [{ association: 'pug', include: ['owner'] }] } },
  { name: 'nested: Pug include owner include profile, and toys', scenario: 'seed', model: 'pug', options: { include: [{ association: 'owner', include: ['profile'] }, 'toys'] } },
  { name: 'nested: where on level two (required)', scenario: 'seed', model: 'owner', options: { include: [{ association: 'pugs', include: [{ association: 'toys', where: { label: 'ball' } }] }] } },
  { name: 'nested: where on level two, required false', scenario: 'seed', model: 'owner', options: { include: [{ association: 'pugs', include: [{ association: 'toys', where: { label: 'ball' }, required: false }] }] } },
  { name: 'nested: attributes on level two', scenario: 'seed', model: 'owner', options: { include: [{ association: 'pugs', attributes: ['name'], include: [{ association: 'toys', attributes: ['label'] }] }] } },
  {
    name: 'include all', scenario: 'seed', model: 'owner', options: { include: [{ all: true }] },
    seqOrder: [['id', 'ASC'], ['pugs', 'id', 'ASC']],
  },
  {
    name: 'include all nested', scenario: 'seed', model: 'pug', options: { include: [{ all: true, nested: true }] },
    seqOrder: [['id', 'ASC'], ['toys', 'id', 'ASC']],
  },

  // --- order
  { name: 'order by a root column', scenario: 'seed', model: 'owner', options: { order: [['name', 'DESC']], include: ['pugs'] } },
  { name: 'order by nested column', scenario: 'seed', model: 'owner', options: { order: [['pugs', 'name', 'DESC'], ['id', 'ASC']], include: ['pugs'] } },
  { name: 'order by nested column, two levels', scenario: 'seed', model: 'owner', options: { order: [['id', 'DESC'], ['pugs', 'id', 'DESC'], ['pugs', 'toys', 'label', 'ASC']], include: [{ association: 'pugs', include: ['toys'] }] } },
  { name: 'order by the belongs_to target', scenario: 'seed', model: 'pug', options: { order: [['owner', 'name', 'ASC'], ['id', 'DESC']], include: ['owner'] } },
  { name: 'order as [column] without direction', scenario: 'seed', model: 'pug', options: { order: [['name']] } },

  // --- limit / offset
  { name: 'limit with include', scenario: 'seed', model: 'owner', options: { limit: 2, include: ['pugs'] } },
  { name: 'limit and offset with include', scenario: 'seed', model: 'owner', options: { limit: 2, offset: 1, include: ['pugs'] } },
  { name: 'limit with include where (required)', scenario: 'seed', model: 'owner', options: { limit: 1, include: [{ association: 'pugs', where: { name: 'Ella' } }] } },
  { name: 'limit with required include, offset', scenario: 'seed', model: 'owner', options: { limit: 2, offset: 1, include: [{ association: 'pugs', required: true }] } },
  { name: 'limit with belongs_to include', scenario: 'seed', model: 'pug', options: { limit: 3, include: ['owner'] } },
  { name: 'limit with nested include', scenario: 'seed', model: 'owner', options: { limit: 2, include: [{ association: 'pugs', include: ['toys'] }] } },
  { name: 'limit with order by a root column', scenario: 'seed', model: 'owner', options: { limit: 2, order: [['name', 'ASC']], include: ['pugs'] } },
  { name: 'limit inside the include (per parent)', scenario: 'seed', model: 'owner', options: { include: [{ association: 'pugs', limit: 1, order: [['name', 'DESC']] }] } },
  { name: 'include separate', scenario: 'seed', model: 'owner', options: { include: [{ association: 'pugs', separate: true }] } },

  // --- errors on both sides
  { name: 'error: unknown association', scenario: 'seed', model: 'owner', options: { include: ['nope'] }, expectError: true },
  { name: 'error: unknown column in where', scenario: 'seed', model: 'owner', options: { where: { nope: 1 } }, expectError: true },

  // --- capitalised table names
  { name: 'Owner include Pugs', scenario: 'capitalised', model: 'Owner', options: { include: ['Pugs'] } },
  { name: 'Pug include Owner', scenario: 'capitalised', model: 'Pug', options: { include: ['Owner'] } },
  { name: 'Owner include [Pugs, Profile]', scenario: 'capitalised', model: 'Owner', options: { include: ['Pugs', 'Profile'] } },
  { name: 'include where on Pugs', scenario: 'capitalised', model: 'Owner', options: { include: [{ association: 'Pugs', where: { name: { $like: 'D%' } } }] } },
  { name: 'order by Pugs.name', scenario: 'capitalised', model: 'Owner', options: { order: [['Pugs', 'name', 'ASC'], ['id', 'ASC']], include: ['Pugs'] } },
  { name: 'limit with include', scenario: 'capitalised', model: 'Owner', options: { limit: 2, include: ['Pugs'] } },

  // --- underscored
  { name: 'Owner include pugs include toys', scenario: 'underscored', model: 'owner', options: { include: [{ association: 'pugs', include: ['toys'] }] } },
  { name: 'Pug include owner', scenario: 'underscored', model: 'pug', options: { include: ['owner'] } },
  { name: 'attributes by column name', scenario: 'underscored', model: 'owner', options: { attributes: ['first_name', 'updated_at'], include: [{ association: 'pugs', attributes: ['nick_name', 'owner_id'] }] } },
  { name: 'where by column name', scenario: 'underscored', model: 'owner', options: { where: { first_name: { $ne: 'Annabel' } }, include: [{ association: 'pugs', where: { nick_name: { $like: 'C%' } }, required: false }] } },
  { name: 'order by created_at', scenario: 'underscored', model: 'pug', options: { order: [['created_at', 'DESC']], include: ['owner'] } },
  { name: 'order by nested column', scenario: 'underscored', model: 'owner', options: { order: [['pugs', 'nick_name', 'ASC'], ['id', 'ASC']], include: ['pugs'] } },

  // --- custom alias and foreign key
  { name: 'Owner include favoritePugs', scenario: 'alias_fk', model: 'owner', options: { include: ['favoritePugs'] } },
  { name: 'Pug include keeper', scenario: 'alias_fk', model: 'pug', options: { include: ['keeper'] } },
  { name: 'include where on keeper, required false', scenario: 'alias_fk', model: 'pug', options: { include: [{ association: 'keeper', where: { name: 'Tom' }, required: false }] } },
  { name: 'order by favoritePugs.name', scenario: 'alias_fk', model: 'owner', options: { order: [['favoritePugs', 'name', 'DESC'], ['id', 'ASC']], include: ['favoritePugs'] } },
  { name: 'limit with include', scenario: 'alias_fk', model: 'owner', options: { limit: 2, offset: 1, include: ['favoritePugs'] } },
  { name: 'error: include by the model\'s default alias', scenario: 'alias_fk', model: 'owner', options: { include: ['pugs'] }, expectError: true },
  { name: 'Owner include pets (ownerId)', scenario: 'alias_only', model: 'owner', options: { include: ['pets'] } },
  { name: 'Pug include master (masterId)', scenario: 'alias_only', model: 'pug', options: { include: ['master'] } },

  // --- values
  { name: 'Item include parts: value types', scenario: 'values', model: 'item', options: { include: ['parts'] } },
  { name: 'Part include item: value types', scenario: 'values', model: 'part', options: { include: ['item'] } },
  { name: 'where on a boolean and a date', scenario: 'values', model: 'item', options: { where: { flag: false, born: '1990-05-06' } } },

  // --- more seed variations
  // (offset without limit on a has_many include is not compared: Sequelize
  // uses its parent subquery only with a limit, so its OFFSET skips joined
  // rows, not owners: Owner.findAll({offset: 2, include: Pug}) gives Tom with
  // one pug of three)
  { name: 'offset without limit', scenario: 'seed', model: 'pug', options: { offset: 5, include: ['owner'] } },
  { name: 'limit 0', scenario: 'seed', model: 'owner', options: { limit: 0, include: ['pugs'] } },
  { name: 'where with an array (implicit IN)', scenario: 'seed', model: 'pug', options: { where: { id: [2, 4, 6] } } },
  { name: 'where $ne null', scenario: 'seed', model: 'pug', options: { where: { name: { $ne: null } } } },
  { name: 'where $eq null', scenario: 'seed', model: 'pug', options: { where: { ownerId: { $eq: null } } } },
  { name: 'where $not with a value', scenario: 'seed', model: 'pug', options: { where: { ownerId: { $not: 1 } } } },
  { name: 'where $or inside an include', scenario: 'seed', model: 'owner', options: { include: [{ association: 'pugs', where: { $or: [{ name: 'Cody' }, { name: 'Ivy' }] } }] } },
  { name: 'where $in with a null', scenario: 'seed', model: 'pug', options: { where: { ownerId: { $in: [2, null] } } } },
  { name: 'nested required inside required', scenario: 'seed', model: 'owner', options: { include: [{ association: 'pugs', required: true, include: [{ association: 'toys', required: true }] }] } },
  { name: 'nested required inside optional', scenario: 'seed', model: 'owner', options: { include: [{ association: 'pugs', include: [{ association: 'toys', required: true }] }] } },
  { name: 'limit with nested required includes', scenario: 'seed', model: 'owner', options: { limit: 2, include: [{ association: 'pugs', required: true, include: [{ association: 'toys', required: true }] }] } },
  { name: 'limit, root attributes without the key', scenario: 'seed', model: 'owner', options: { limit: 2, attributes: ['name'], include: ['pugs'] } },
  { name: 'limit with order DESC', scenario: 'seed', model: 'owner', options: { limit: 3, order: [['id', 'DESC']], include: ['pugs'] } },
  { name: 'order NULLS LAST', scenario: 'seed', model: 'pug', options: { order: [['name', 'DESC NULLS LAST']] } },
  { name: 'include separate, nested', scenario: 'seed', model: 'owner', options: { include: [{ association: 'pugs', separate: true, include: ['toys'] }] } },
  { name: 'has_one include where, required false', scenario: 'seed', model: 'owner', options: { include: [{ association: 'profile', where: { bio: 'Dee bio' }, required: false }] } },
  { name: 'belongs_to include with nested has_many', scenario: 'seed', model: 'profile', options: { include: [{ association: 'owner', include: ['pugs'] }] } },
  { name: 'include the same target twice in a path', scenario: 'seed', model: 'pug', options: { include: [{ association: 'owner', include: ['pugs'] }] } },
  { name: 'three levels: Profile include owner include pugs include toys', scenario: 'seed', model: 'profile', options: { include: [{ association: 'owner', include: [{ association: 'pugs', include: ['toys'] }] }] } },
  {
    name: 'Owner include all nested', scenario: 'seed', model: 'owner', options: { include: [{ all: true, nested: true }] },
    seqOrder: [['id', 'ASC'], ['pugs', 'id', 'ASC'], ['pugs', 'toys', 'id', 'ASC']],
  },
  { name: 'where $or of $and', scenario: 'seed', model: 'pug', options: { where: { $or: [{ $and: [{ ownerId: 1 }, { name: { $gte: 'D' } }] }, { id: { $in: [7, 8] } }] } } },
  { name: 'order children by created_at', scenario: 'underscored', model: 'owner', options: { order: [['id', 'ASC'], ['pugs', 'created_at', 'DESC']], include: ['pugs'] } },
  { name: 'where with quotes and unicode', scenario: 'values', model: 'item', options: { where: { label: 'quotes "\'" \\ and ünïcödé ☃' } } },
  { name: 'where $like with a quote', scenario: 'values', model: 'item', options: { where: { label: { $like: "%'%" } } } },

  // --- self association
  { name: 'loader person_with_children()', scenario: 'self', model: 'person', sql: 'SELECT * FROM person_with_children()', options: { include: ['children'] } },
  { name: 'loader person_with_parent()', scenario: 'self', model: 'person', sql: 'SELECT * FROM person_with_parent()', options: { include: ['parent'] } },
  { name: 'Person include children include children', scenario: 'self', model: 'person', options: { include: [{ association: 'children', include: ['children'] }] } },
  { name: 'Person include parent and children', scenario: 'self', model: 'person', options: { include: ['parent', 'children'] } },
  { name: 'Person include parent include parent, where', scenario: 'self', model: 'person', options: { where: { name: { $like: '%a%' } }, include: [{ association: 'parent', include: ['parent'] }] } },

  // --- other keys
  { name: 'loader country_with_cities()', scenario: 'keys', model: 'country', sql: 'SELECT * FROM country_with_cities()', options: { include: ['cities'] } },
  { name: 'loader city_with_country()', scenario: 'keys', model: 'city', sql: 'SELECT * FROM city_with_country()', options: { include: ['country'] } },
  { name: 'loader owner_with_pugs() by a unique key', scenario: 'keys', model: 'owner', sql: 'SELECT * FROM owner_with_pugs()', options: { include: ['pugs'] } },
  { name: 'loader pug_with_owner() by a unique key', scenario: 'keys', model: 'pug', sql: 'SELECT * FROM pug_with_owner()', options: { include: ['owner'] } },
  { name: 'Country include cities (text primary key)', scenario: 'keys', model: 'country', options: { include: ['cities'] } },
  { name: 'City include country', scenario: 'keys', model: 'city', options: { include: ['country'] } },
  { name: 'limit with include (text primary key)', scenario: 'keys', model: 'country', options: { limit: 2, include: ['cities'] } },
  { name: 'Owner include pugs (source key code)', scenario: 'keys', model: 'owner', options: { include: ['pugs'] } },
  { name: 'Pug include owner (target key code)', scenario: 'keys', model: 'pug', options: { include: ['owner'] } },

  // --- two aliases to one target
  { name: 'Owner include pets and fosters', scenario: 'two_aliases', model: 'owner', options: { include: ['pets', 'fosters'] } },
  { name: 'Owner include fosters where, pets', scenario: 'two_aliases', model: 'owner', options: { include: [{ association: 'fosters', where: { name: 'Fig' } }, 'pets'] } },
  { name: 'loader owner_with_fosters()', scenario: 'two_aliases', model: 'owner', sql: 'SELECT * FROM owner_with_fosters()', options: { include: ['fosters'] } },

  // --- belongs_to_many
  { name: 'Student include courses', scenario: 'btm', model: 'student', options: { include: ['courses'] } },
  { name: 'Course include students', scenario: 'btm', model: 'course', options: { include: ['students'] } },
  { name: 'through attributes []', scenario: 'btm', model: 'student', options: { include: [{ association: 'courses', through: { attributes: [] } }] } },
  { name: 'through attributes [createdAt]', scenario: 'btm', model: 'student', options: { include: [{ association: 'courses', through: { attributes: ['createdAt'] } }] } },
  { name: 'include attributes [title]', scenario: 'btm', model: 'student', options: { include: [{ association: 'courses', attributes: ['title'] }] } },
  { name: 'include where (required)', scenario: 'btm', model: 'student', options: { include: [{ association: 'courses', where: { title: 'Art' } }] } },
  { name: 'include where, required false', scenario: 'btm', model: 'student', options: { include: [{ association: 'courses', where: { title: 'Art' }, required: false }] } },
  { name: 'order by nested column', scenario: 'btm', model: 'student', options: { order: [['courses', 'title', 'ASC'], ['id', 'ASC']], include: ['courses'] } },
  { name: 'limit with include', scenario: 'btm', model: 'student', options: { limit: 2, include: ['courses'] } },
  { name: 'nested include under a belongs_to_many include (through row first)', scenario: 'btm', model: 'student', options: { include: [{ association: 'courses', include: ['students'] }] } },
  { name: 'Student include classes (custom keys)', scenario: 'btm_model', model: 'student', options: { include: ['classes'] } },
  { name: 'Course include pupils', scenario: 'btm_model', model: 'course', options: { include: ['pupils'] } },
  { name: 'through where grade', scenario: 'btm_model', model: 'student', options: { include: [{ association: 'classes', through: { where: { grade: 'A' } } }] } },
  { name: 'through attributes [grade]', scenario: 'btm_model', model: 'course', options: { include: [{ association: 'pupils', through: { attributes: ['grade'] } }] } },

  // --- uncountable names
  { name: 'loader hub_with_news()', scenario: 'uncountable', model: 'hub', sql: 'SELECT * FROM hub_with_news()', options: { include: ['news'] } },
  { name: 'loader news_with_hub()', scenario: 'uncountable', model: 'news', sql: 'SELECT * FROM news_with_hub()', options: { include: ['hub'] } },
  { name: 'loader hub_with_series()', scenario: 'uncountable', model: 'hub', sql: 'SELECT * FROM hub_with_series()', options: { include: ['series'] } },
  { name: 'loader hub_with_sheep()', scenario: 'uncountable', model: 'hub', sql: 'SELECT * FROM hub_with_sheep()', options: { include: ['sheep'] } },
  { name: 'loader sheep_with_hubs()', scenario: 'uncountable', model: 'sheep', sql: 'SELECT * FROM sheep_with_hubs()', options: { include: ['hubs'] } },
  { name: 'loader key form: hub_with_news(1)', scenario: 'uncountable', model: 'hub', sql: "SELECT hub_with_news('1')", options: { where: { id: 1 }, include: ['news'] } },
  { name: 'Hub include news', scenario: 'uncountable', model: 'hub', options: { include: ['news'] } },
  { name: 'Hub include {model: news}', scenario: 'uncountable', model: 'hub', options: { include: [{ model: 'news' }] } },
  { name: 'News include hub include news', scenario: 'uncountable', model: 'news', options: { include: [{ association: 'hub', include: ['news'] }] } },
  { name: 'Hub include [news, series, sheep]', scenario: 'uncountable', model: 'hub', options: { include: ['news', 'series', 'sheep'] } },
  { name: 'include where on news (required)', scenario: 'uncountable', model: 'hub', options: { include: [{ association: 'news', where: { title: { $in: ['a', 'b'] } } }] } },
  { name: 'order by news.title', scenario: 'uncountable', model: 'hub', options: { order: [['news', 'title', 'DESC'], ['id', 'ASC']], include: ['news'] } },
  { name: 'limit and offset with include news', scenario: 'uncountable', model: 'hub', options: { limit: 2, offset: 1, include: ['news'] } },
  { name: 'Hub include sheep, through attributes [since]', scenario: 'uncountable', model: 'hub', options: { include: [{ association: 'sheep', through: { attributes: ['since'] } }] } },
  { name: 'Sheep include hubs where', scenario: 'uncountable', model: 'sheep', options: { include: [{ association: 'hubs', where: { name: 'North' } }] } },
  { name: 'Series include hub include news', scenario: 'uncountable', model: 'series', options: { include: [{ association: 'hub', include: ['news'] }] } },
  { name: 'Hub include police', scenario: 'uncountable', model: 'hub', options: { include: ['police'] } },

  // --- order by a column of the through table: [association, through
  // model, column, direction]; Sequelize takes the through model itself
  // there ([Course, Enrollment, 'grade']; given its name as a string, it
  // writes "classes"."enrollment""grade"), which compare.js passes
  { name: 'order by through column DESC', scenario: 'btm_model', model: 'student', options: { include: ['classes'], order: [['classes', 'enrollment', 'grade', 'DESC']] } },
  { name: 'order by through column, ties by id', scenario: 'btm_model', model: 'student', options: { include: ['classes'], order: [['classes', 'enrollment', 'grade'], 'id'] } },
  { name: 'order by through column, through model as {model}', scenario: 'btm_model', model: 'student', options: { include: ['classes'], order: [['classes', { model: 'enrollment' }, 'grade', 'DESC']] } },
  { name: 'order by through column, through table name', scenario: 'btm_model', model: 'student', options: { include: ['classes'], order: [['classes', 'enrollments', 'grade', 'DESC NULLS LAST']] } },
  { name: 'order by through column, through attributes []', scenario: 'btm_model', model: 'student', options: { include: [{ association: 'classes', through: { attributes: [] } }], order: [['classes', 'enrollment', 'grade', 'DESC']] } },
  { name: 'order by through column, include where', scenario: 'btm_model', model: 'student', options: { include: [{ association: 'classes', where: { title: { $ne: 'Bio' } } }], order: [['classes', 'enrollment', 'grade', 'DESC']] } },
  { name: 'order by through column, then a column of the target', scenario: 'btm_model', model: 'student', options: { include: ['classes'], order: [['classes', 'enrollment', 'grade', 'ASC'], ['classes', 'title', 'DESC'], ['id', 'DESC']] } },
  { name: 'order by through column of the mirror', scenario: 'btm_model', model: 'course', options: { include: ['pupils'], order: [['pupils', 'enrollment', 'grade', 'DESC'], ['id', 'ASC']] } },
  { name: 'order by through timestamp (through model "Enrollment")', scenario: 'btm', model: 'student', options: { include: ['courses'], order: [['courses', 'Enrollment', 'createdAt', 'DESC']] } },
  // --- count and findAndCountAll where Sequelize counts right: no
  // include, belongs_to / has_one includes (no join repeats a row), or
  // has_many with distinct: true (COUNT(DISTINCT id)).  Without distinct a
  // has_many include makes Sequelize count joined rows: find_all_count.sql
  // shows assoc's count there next to the plain SQL proving it.
  // --- aggregates over associations (no limit): Sequelize's fn(col) with
  // group; COUNT cast to INTEGER on its side, as node-pg gives bigint as a
  // string and assoc a number
  { name: 'aggregate COUNT(pugs.id) per owner, group owner.id', scenario: 'seed', model: 'owner',
    options: { attributes: { include: [[{ fn: 'COUNT', col: 'pugs.id' }, 'pugCount']] }, include: [{ association: 'pugs', attributes: [] }], group: ['owner.id'], order: ['id'] },
    seq: (m) => { const q = m.owner.sequelize; return { attributes: { include: [[q.cast(q.fn('COUNT', q.col('pugs.id')), 'INTEGER'), 'pugCount']] }, include: [{ model: m.pug, attributes: [] }], group: ['owner.id'], order: [['id', 'ASC']] }; } },
  { name: 'aggregate MAX(pugs.name) per owner, the short include count beside it', scenario: 'seed', model: 'owner',
    options: { attributes: ['id', [{ fn: 'MAX', col: 'pugs.name' }, 'last']], include: [{ association: 'pugs', attributes: [] }], group: ['owner.id'], order: ['id'] },
    seq: (m) => { const q = m.owner.sequelize; return { attributes: ['id', [q.fn('MAX', q.col('pugs.name')), 'last']], include: [{ model: m.pug, attributes: [] }], group: ['owner.id'], order: [['id', 'ASC']] }; } },
  // DISTINCT inside an aggregate, Sequelize's fn('COUNT', fn('DISTINCT', col)),
  // and having: where(fn(...), {[Op.gt]: n}); with an include's where, the
  // aggregate of having is of the included rows (Sequelize's joined rows)
  { name: 'aggregate COUNT(DISTINCT pugs.ownerId) beside COUNT(pugs.name), group owner.id', scenario: 'seed', model: 'owner',
    options: { attributes: ['id', [{ fn: 'COUNT', col: { fn: 'DISTINCT', col: 'pugs.ownerId' } }, 'owners'], [{ fn: 'COUNT', col: 'pugs.name' }, 'named']], include: [{ association: 'pugs', attributes: [] }], group: ['owner.id'], order: ['id'] },
    seq: (m) => { const q = m.owner.sequelize; return { attributes: ['id', [q.cast(q.fn('COUNT', q.fn('DISTINCT', q.col('pugs.ownerId'))), 'INTEGER'), 'owners'], [q.cast(q.fn('COUNT', q.col('pugs.name')), 'INTEGER'), 'named']], include: [{ model: m.pug, attributes: [] }], group: ['owner.id'], order: [['id', 'ASC']] }; } },
  { name: 'having COUNT(pugs.id) > 1, group owner.id', scenario: 'seed', model: 'owner',
    options: { attributes: ['id', 'name'], include: [{ association: 'pugs', attributes: [] }], group: ['owner.id'], having: { '$count(pugs.id)$': { $gt: 1 } }, order: ['id'] },
    seq: (m, Op) => { const q = m.owner.sequelize; return { attributes: ['id', 'name'], include: [{ model: m.pug, attributes: [] }], group: ['owner.id'], having: q.where(q.fn('COUNT', q.col('pugs.id')), { [Op.gt]: 1 }), order: [['id', 'ASC']] }; } },
  { name: 'having COUNT(pugs.id) = 0 of an include with where (required: false)', scenario: 'seed', model: 'owner',
    options: { attributes: ['id', 'name'], include: [{ association: 'pugs', attributes: [], where: { name: 'Dot' }, required: false }], group: ['owner.id'], having: { '$count(pugs.id)$': 0 }, order: ['id'] },
    seq: (m) => { const q = m.owner.sequelize; return { attributes: ['id', 'name'], include: [{ model: m.pug, attributes: [], where: { name: 'Dot' }, required: false }], group: ['owner.id'], having: q.where(q.fn('COUNT', q.col('pugs.id')), 0), order: [['id', 'ASC']] }; } },
  { name: 'having $or of COUNT(DISTINCT pugs.name) and MAX(pugs.name), with the count as attribute', scenario: 'seed', model: 'owner',
    options: { attributes: ['id', [{ fn: 'COUNT', distinct: true, col: 'pugs.name' }, 'names']], include: [{ association: 'pugs', attributes: [] }], group: ['owner.id'], having: { $or: [{ '$count(DISTINCT pugs.name)$': { $gte: 3 } }, { '$max(pugs.name)$': 'Ivy' }] }, order: ['id'] },
    seq: (m, Op) => { const q = m.owner.sequelize; return { attributes: ['id', [q.cast(q.fn('COUNT', q.fn('DISTINCT', q.col('pugs.name'))), 'INTEGER'), 'names']], include: [{ model: m.pug, attributes: [] }], group: ['owner.id'], having: { [Op.or]: [q.where(q.fn('COUNT', q.fn('DISTINCT', q.col('pugs.name'))), { [Op.gte]: 3 }), q.where(q.fn('MAX', q.col('pugs.name')), 'Ivy')] }, order: [['id', 'ASC']] }; } },
  { name: 'count()', scenario: 'seed', model: 'owner', method: 'count', options: {} },
  { name: 'count where', scenario: 'seed', model: 'pug', method: 'count', options: { where: { name: { $like: '%o%' } } } },
  { name: 'count col (non-null values)', scenario: 'seed', model: 'pug', method: 'count', options: { col: 'ownerId' } },
  { name: 'count col distinct', scenario: 'seed', model: 'pug', method: 'count', options: { col: 'ownerId', distinct: true } },
  { name: 'count distinct (no col)', scenario: 'seed', model: 'pug', method: 'count', options: { distinct: true, where: { ownerId: { $ne: null } } } },
  { name: 'count, required belongs_to include', scenario: 'seed', model: 'pug', method: 'count', options: { include: [{ association: 'owner', where: { name: { $in: ['Tom', 'Dee'] } } }] } },
  { name: 'count, has_many include where, distinct', scenario: 'seed', model: 'owner', method: 'count', options: { distinct: true, include: [{ association: 'pugs', where: { name: { $ne: 'Ivy' } } }] } },
  { name: 'count, limit and order ignored', scenario: 'seed', model: 'owner', method: 'count', options: { limit: 1, offset: 1, order: [['name', 'DESC']] } },
  { name: 'findAndCountAll()', scenario: 'seed', model: 'owner', method: 'findAndCountAll', options: {} },
  { name: 'findAndCountAll page', scenario: 'seed', model: 'pug', method: 'findAndCountAll', options: { where: { ownerId: { $ne: null } }, limit: 2, offset: 1, order: [['name', 'ASC']] } },
  { name: 'findAndCountAll page past the end', scenario: 'seed', model: 'pug', method: 'findAndCountAll', options: { limit: 2, offset: 20 } },
  { name: 'findAndCountAll, belongs_to include', scenario: 'seed', model: 'pug', method: 'findAndCountAll', options: { limit: 3, include: [{ association: 'owner', required: true }] } },
  { name: 'findAndCountAll, has_many include, distinct', scenario: 'seed', model: 'owner', method: 'findAndCountAll', options: { distinct: true, limit: 2, include: ['pugs'] } },
  { name: 'findAndCountAll, required has_many, distinct', scenario: 'seed', model: 'owner', method: 'findAndCountAll', options: { distinct: true, limit: 2, offset: 1, include: [{ association: 'pugs', where: { name: { $ne: 'Gus' } } }] } },
  { name: 'findAndCountAll, no match', scenario: 'seed', model: 'owner', method: 'findAndCountAll', options: { where: { name: 'Nobody' } } },
  { name: 'count(), capitalised names', scenario: 'capitalised', model: 'Owner', method: 'count', options: { distinct: true, include: [{ association: 'Pugs', required: true }] } },

  // --- $nested.column$ in the top level's where, without limit (with a
  // limit Sequelize's subquery cannot see the include: find_all_nested.sql)
  { name: '$pugs.name$', scenario: 'seed', model: 'owner', options: { where: { '$pugs.name$': 'Cody' }, include: ['pugs'] } },
  { name: '$pugs.name$ with an operator, and a column', scenario: 'seed', model: 'owner', options: { where: { name: { $ne: 'Ann' }, '$pugs.name$': { $in: ['Cody', 'Gus', 'Ella'] } }, include: ['pugs'] } },
  { name: '$pugs.toys.label$', scenario: 'seed', model: 'owner', options: { where: { '$pugs.toys.label$': { $like: 'b%' } }, include: [{ association: 'pugs', include: ['toys'] }] } },
  { name: '$nested$ in $and', scenario: 'seed', model: 'owner', options: { where: { $and: [{ '$pugs.name$': { $ne: 'Gus' } }, { '$pugs.id$': { $lt: 7 } }] }, include: ['pugs'] } },
  { name: '$nested$ and the include\'s where', scenario: 'seed', model: 'owner', options: { where: { '$pugs.name$': { $like: '%o%' } }, include: [{ association: 'pugs', where: { id: { $gt: 1 } } }] } },
  { name: '$nested$ on an include required: false', scenario: 'seed', model: 'owner', options: { where: { '$pugs.name$': 'Cody' }, include: [{ association: 'pugs', required: false }] } },
  { name: '$owner.name$ (belongs_to)', scenario: 'seed', model: 'pug', options: { where: { '$owner.name$': { $in: ['Tom', 'Dee'] } }, include: ['owner'] } },
  { name: '$profile.bio$ (has_one)', scenario: 'seed', model: 'owner', options: { where: { '$profile.bio$': { $like: 'T%' } }, include: ['profile', 'pugs'] } },
  { name: '$name$ (the model\'s own column)', scenario: 'seed', model: 'owner', options: { where: { '$name$': 'Tom' } } },
  { name: '$nested$ with findAndCountAll, distinct', scenario: 'seed', model: 'owner', method: 'findAndCountAll', options: { distinct: true, where: { '$pugs.name$': { $ne: 'Gus' } }, include: ['pugs'] } },
  { name: '$courses.title$ (belongs_to_many)', scenario: 'btm', model: 'student', options: { where: { '$courses.title$': { $in: ['Art', 'Bio'] } }, include: ['courses'] } },
  { name: 'error: $nested$ of an association not included', scenario: 'seed', model: 'owner', expectError: true, options: { where: { '$pugs.name$': 'Cody' } } },
  // inside $or, $not and $and: Sequelize's WHERE on its LEFT JOIN (an
  // owner without pugs is its null row)
  { name: '$nested$ in $or, with a column of the model', scenario: 'seed', model: 'owner', options: { where: { $or: [{ name: 'Bob' }, { '$pugs.name$': 'Cody' }] }, include: ['pugs'] } },
  { name: '$nested$ in $or, the parent-only branch', scenario: 'seed', model: 'owner', options: { where: { $or: [{ name: 'Tom' }, { '$pugs.name$': 'Ella' }] }, include: ['pugs'] } },
  { name: '$nested$ in $not', scenario: 'seed', model: 'owner', options: { where: { $not: { '$pugs.name$': 'Cody' } }, include: ['pugs'] } },
  { name: '$nested$ in $not of $or', scenario: 'seed', model: 'owner', options: { where: { $not: { $or: [{ '$pugs.name$': 'Cody' }, { '$pugs.id$': { $gt: 6 } }] } }, include: ['pugs'] } },
  { name: '$nested$ two levels in $or', scenario: 'seed', model: 'owner', options: { where: { $or: [{ '$pugs.name$': 'Cody' }, { '$pugs.toys.label$': 'disc' }] }, include: [{ association: 'pugs', include: ['toys'] }] } },
  { name: '$nested$ in $or, a column and two levels', scenario: 'seed', model: 'owner', options: { where: { $or: [{ name: 'Bob' }, { '$pugs.toys.label$': 'ball' }] }, include: [{ association: 'pugs', include: ['toys'] }] } },
  { name: '$nested$ in $or over two includes', scenario: 'seed', model: 'owner', options: { where: { $or: [{ '$profile.bio$': { $like: 'D%' } }, { '$pugs.name$': 'Cody' }] }, include: ['pugs', 'profile'] } },
  { name: '$nested$ in $or, include with where', scenario: 'seed', model: 'owner', options: { where: { $or: [{ name: 'Bob' }, { '$pugs.id$': 1 }] }, include: [{ association: 'pugs', where: { name: { $ne: 'Gus' } } }] } },
  { name: '$nested$ in $or, include with where, required false', scenario: 'seed', model: 'owner', options: { where: { $or: [{ name: 'Bob' }, { '$pugs.id$': 1 }] }, include: [{ association: 'pugs', where: { name: { $ne: 'Gus' } }, required: false }] } },
  { name: '$nested$ in $or and in $and', scenario: 'seed', model: 'owner', options: { where: { '$pugs.name$': { $ne: 'Gus' }, $or: [{ '$owner.name$': 'Ann' }, { '$pugs.id$': 2 }] }, include: ['pugs'] } },
  { name: '$nested$ in $or, include attributes []', scenario: 'seed', model: 'owner', options: { where: { $or: [{ '$pugs.name$': 'Cody' }, { name: 'Bob' }] }, include: [{ association: 'pugs', attributes: [] }] } },
  { name: '$nested$ in $or, an empty condition', scenario: 'seed', model: 'owner', options: { where: { $or: [{ '$pugs.name$': { $notIn: [] } }, { name: 'Bob' }] }, include: ['pugs'] } },
  { name: '$owner.name$ in $or (belongs_to)', scenario: 'seed', model: 'pug', options: { where: { $or: [{ '$owner.name$': 'Tom' }, { name: 'Ivy' }] }, include: ['owner'] } },
  { name: '$owner.name$ (the model\'s name)', scenario: 'seed', model: 'owner', options: { where: { '$owner.name$': 'Tom' } } },
  { name: '$nested$ in $or, ordered by the include\'s column', scenario: 'seed', model: 'owner', options: { where: { $or: [{ name: 'Dee' }, { '$pugs.name$': { $in: ['Cody', 'Ella'] } }] }, include: ['pugs'], order: [['pugs', 'name', 'DESC'], ['id', 'ASC']] } },
  { name: '$courses.title$ in $or (belongs_to_many)', scenario: 'btm', model: 'student', options: { where: { $or: [{ '$courses.title$': 'Art' }, { id: 1 }] }, include: ['courses'] } },
  // in an include's where: paths from the top level, as Sequelize's aliases
  { name: '$nested$ in an include\'s where: the level above', scenario: 'seed', model: 'owner', options: { include: [{ association: 'pugs', where: { $or: [{ name: 'Ella' }, { '$owner.name$': 'Tom' }] } }] } },
  { name: '$nested$ in an include\'s where: the parent include', scenario: 'seed', model: 'owner', options: { include: [{ association: 'pugs', include: [{ association: 'toys', where: { '$pugs.name$': 'Cody' } }] }] } },
  { name: '$nested$ in an include\'s where: the level below', scenario: 'seed', model: 'owner', options: { include: [{ association: 'pugs', required: false, where: { '$pugs.toys.label$': 'ball' }, include: [{ association: 'toys', required: true }] }] } },
  { name: '$nested$ in an include\'s where: below, in $or', scenario: 'seed', model: 'owner', options: { include: [{ association: 'pugs', required: false, where: { $or: [{ name: 'Ella' }, { '$pugs.toys.label$': 'ball' }] }, include: [{ association: 'toys', required: true }] }] } },

  { name: 'order by through column that does not exist', scenario: 'btm_model', model: 'student', expectError: true, options: { include: ['classes'], order: [['classes', 'enrollment', 'nope', 'DESC']] } },
  // model options: tableName model names, custom and absent timestamps, paranoid
  { name: 'paranoid findAll', scenario: 'models', model: 'User', options: {} },
  { name: 'paranoid false', scenario: 'models', model: 'User', options: { paranoid: false } },
  { name: 'include of a paranoid hasMany', scenario: 'models', model: 'User', options: { include: ['Posts'] } },
  { name: 'include paranoid false', scenario: 'models', model: 'User', options: { include: [{ association: 'Posts', paranoid: false }] } },
  { name: 'top paranoid false, include paranoid', scenario: 'models', model: 'User', options: { paranoid: false, include: ['Posts'] } },
  { name: 'belongsTo a paranoid model', scenario: 'models', model: 'Post', options: { include: ['User'] } },
  { name: 'belongsTo, paranoid false', scenario: 'models', model: 'Post', options: { paranoid: false, include: [{ association: 'User', paranoid: false }] } },
  { name: 'paranoid through rows', scenario: 'models', model: 'Post', options: { include: ['Tags'] } },
  { name: 'timestamps false target', scenario: 'models', model: 'Tag', options: { include: ['Posts'] } },
  { name: 'page of paranoid', scenario: 'models', model: 'User', options: { include: ['Posts'], limit: 1, offset: 1 } },
  { name: 'where on paranoid', scenario: 'models', model: 'Post', options: { where: { UserId: 1 } } },
  { name: 'loader user_with_posts()', scenario: 'models', model: 'User', sql: 'SELECT * FROM user_with_posts()', options: { include: ['Posts'] } },
  { name: 'loader post_with_user()', scenario: 'models', model: 'Post', sql: 'SELECT * FROM post_with_user()', options: { include: ['User'] } },
  { name: 'loader post_with_tags()', scenario: 'models', model: 'Post', sql: 'SELECT * FROM post_with_tags()', options: { include: ['Tags'] } },
  // the readers of paranoid models: call is Sequelize's accessor, sql assoc's
  { name: 'getPosts', scenario: 'models', model: 'Post', call: async (m) => (await m.User.findByPk(1)).getPosts({ order: ['id'] }), sql: 'SELECT to_json(g) FROM user_get_posts(1) g' },
  { name: 'countPosts', scenario: 'models', model: 'Post', call: async (m) => (await m.User.findByPk(1)).countPosts(), sql: 'SELECT to_json(user_count_posts(1))' },
  { name: 'hasPost of a soft-deleted post', scenario: 'models', model: 'Post', call: async (m) => (await m.User.findByPk(1)).hasPost(2), sql: 'SELECT to_json(user_has_post(1, 2))' },
  { name: 'hasPosts', scenario: 'models', model: 'Post', call: async (m) => (await m.User.findByPk(1)).hasPosts([1, 3]), sql: 'SELECT to_json(user_has_posts(1, ARRAY[1, 3]))' },
  { name: 'getUser of a soft-deleted user', scenario: 'models', model: 'User', call: async (m) => (await m.Post.findByPk(5)).getUser(), sql: 'SELECT (SELECT to_json(g) FROM post_get_user(5) g WHERE g.id IS NOT NULL)' },
  { name: 'getUser', scenario: 'models', model: 'User', call: async (m) => (await m.Post.findByPk(1)).getUser(), sql: 'SELECT to_json(g) FROM post_get_user(1) g' },
  { name: 'getTags through paranoid rows', scenario: 'models', model: 'Tag', call: async (m) => (await m.Post.findByPk(1)).getTags({ order: ['id'], joinTableAttributes: [] }), sql: 'SELECT to_json(g) FROM post_get_tags(1) g' },
  { name: 'countTags', scenario: 'models', model: 'Tag', call: async (m) => (await m.Post.findByPk(1)).countTags(), sql: 'SELECT to_json(post_count_tags(1))' },
  { name: 'getPosts of a tag, paranoid through and target', scenario: 'models', model: 'Post', call: async (m) => (await m.Tag.findByPk(1)).getPosts({ order: ['id'], joinTableAttributes: [] }), sql: 'SELECT to_json(g) FROM tag_get_posts(1) g' },
  { name: 'underscored paranoid include', scenario: 'modelsUnderscored', model: 'Keeper', options: { include: ['Pets'] } },
  { name: 'underscored belongsTo a paranoid model', scenario: 'modelsUnderscored', model: 'Pet', options: { include: ['Keeper'] } },
  { name: 'underscored loader keeper_with_pets()', scenario: 'modelsUnderscored', model: 'Keeper', sql: 'SELECT * FROM keeper_with_pets()', options: { include: ['Pets'] } },
  // --- association scopes: readers, includes, loaders, writers
  { name: 'scope: include bigPugs', scenario: 'scoped', model: 'owner', options: { include: ['bigPugs'] } },
  { name: 'scope: include bigPugs and smallPugs', scenario: 'scoped', model: 'owner', options: { include: ['bigPugs', 'smallPugs'] } },
  { name: 'scope: required include with where', scenario: 'scoped', model: 'owner',
    options: { include: [{ association: 'smallPugs', where: { name: { $like: 'D%' } } }] } },
  { name: 'scope: a page of owners with bigPugs', scenario: 'scoped', model: 'owner', options: { include: ['bigPugs'], limit: 2 } },
  { name: 'scope: loader owner_with_big_pugs()', scenario: 'scoped', model: 'owner', sql: 'SELECT * FROM owner_with_big_pugs()', options: { include: ['bigPugs'] } },
  { name: 'scope: getBigPugs', scenario: 'scoped', model: 'pug',
    seqFn: async (m) => (await m.owner.findByPk(1)).getBigPugs({ order: [['id']] }),
    sql: 'SELECT assoc.json_row(p) FROM owner_get_big_pugs(1) p' },
  { name: 'scope: countSmallPugs, hasBigPug, hasBigPugs', scenario: 'scoped', model: 'pug',
    seqFn: async (m) => {
      const o = await m.owner.findByPk(1);
      return [{ n: await o.countSmallPugs(), big1: await o.hasBigPug(1), big2: await o.hasBigPug(2), bigs: await o.hasBigPugs([1, 6]) }];
    },
    sql: 'SELECT json_build_object(\'n\', owner_count_small_pugs(1), \'big1\', owner_has_big_pug(1, 1), \'big2\', owner_has_big_pug(1, 2), \'bigs\', owner_has_big_pugs(1, ARRAY[1, 6]))' },
  { name: 'scope: addBigPugs gives the scope', scenario: 'scoped', model: 'pug', tables: ['pug'],
    seqWrite: async (m) => (await m.owner.findByPk(2)).addBigPugs([2, 4]),
    assocWrite: 'SELECT owner_add_big_pugs(2, ARRAY[2, 4])',
    state: 'SELECT to_jsonb(p) - \'updatedAt\' FROM pugs p ORDER BY id' },
  { name: 'scope: setBigPugs unlinks only the scope', scenario: 'scoped', model: 'pug', tables: ['pug'],
    seqWrite: async (m) => (await m.owner.findByPk(1)).setBigPugs([6, 4]),
    assocWrite: 'SELECT owner_set_big_pugs(1, ARRAY[6, 4])',
    state: 'SELECT to_jsonb(p) - \'updatedAt\' FROM pugs p ORDER BY id' },
  { name: 'scope: createSmallPug', scenario: 'scoped', model: 'pug', tables: ['pug'],
    seqWrite: async (m) => (await m.owner.findByPk(3)).createSmallPug({ name: 'Ivy', size: 'big' }),
    assocWrite: 'SELECT owner_create_small_pug(3, \'{"name": "Ivy", "size": "big"}\')',
    state: 'SELECT to_jsonb(p) - \'id\' - \'createdAt\' - \'updatedAt\' FROM pugs p ORDER BY name' },
  { name: 'through scope: include taughtCourses and advancedCourses', scenario: 'scoped', model: 'student',
    options: { include: ['taughtCourses', 'advancedCourses'] } },
  { name: 'through scope: loader student_with_advanced_courses()', scenario: 'scoped', model: 'student',
    sql: 'SELECT * FROM student_with_advanced_courses()', options: { include: ['advancedCourses'] } },
  { name: 'through scope: getTaughtCourses', scenario: 'scoped', model: 'course',
    seqFn: async (m) => (await m.student.findByPk(1)).getTaughtCourses({ order: [['id']], joinTableAttributes: [] }),
    sql: 'SELECT assoc.json_row(c) FROM student_get_taught_courses(1) c' },
  { name: 'through scope: addTaughtCourse writes the role', scenario: 'scoped', model: 'course', tables: ['enrollment'],
    seqWrite: async (m) => (await m.student.findByPk(2)).addTaughtCourse(1),
    assocWrite: 'SELECT student_add_taught_course(2, 1)',
    state: 'SELECT to_jsonb(e) - \'createdAt\' - \'updatedAt\' FROM enrollments e ORDER BY 1' },
  // (student 1: Sequelize's set fails on the teacher link of Math, and
  // deletes the link of Art, outside the target scope: README, Differences)
  { name: 'through scope: setAdvancedCourses', scenario: 'scoped', model: 'course', tables: ['enrollment'],
    seqWrite: async (m) => (await m.student.findByPk(2)).setAdvancedCourses([1]),
    assocWrite: 'SELECT student_set_advanced_courses(2, ARRAY[1])',
    state: 'SELECT to_jsonb(e) - \'createdAt\' - \'updatedAt\' FROM enrollments e ORDER BY 1' },

  // --- the polymorphic pattern
  { name: 'polymorphic: Image.findAll include comments', scenario: 'polymorphic', model: 'image', options: { include: ['comments'] } },
  { name: 'polymorphic: Video.findAll include comments', scenario: 'polymorphic', model: 'video', options: { include: ['comments'] } },
  { name: 'polymorphic: Comment.findAll include image and video', scenario: 'polymorphic', model: 'comment', options: { include: ['image', 'video'] } },
  { name: 'polymorphic: loader image_with_comments()', scenario: 'polymorphic', model: 'image',
    sql: 'SELECT * FROM image_with_comments()', options: { include: ['comments'] } },
  { name: 'polymorphic: image.getComments', scenario: 'polymorphic', model: 'comment',
    seqFn: async (m) => (await m.image.findByPk(1)).getComments({ order: [['id']] }),
    sql: 'SELECT assoc.json_row(c) FROM image_get_comments(1) c' },
  { name: 'polymorphic: countComments, hasComment', scenario: 'polymorphic', model: 'comment',
    seqFn: async (m) => {
      const v = await m.video.findByPk(1);
      return [{ n: await v.countComments(), has1: await v.hasComment(1), has4: await v.hasComment(4) }];
    },
    sql: 'SELECT json_build_object(\'n\', video_count_comments(1), \'has1\', video_has_comment(1, 1), \'has4\', video_has_comment(1, 4))' },
  { name: 'polymorphic: image.createComment', scenario: 'polymorphic', model: 'comment', tables: ['comment'],
    seqWrite: async (m) => (await m.image.findByPk(2)).createComment({ title: 'new' }),
    assocWrite: 'SELECT image_create_comment(2, \'{"title": "new"}\')',
    state: 'SELECT to_jsonb(c) - \'id\' - \'createdAt\' - \'updatedAt\' FROM comments c ORDER BY title' },
  { name: 'polymorphic: image.addComment of a video comment', scenario: 'polymorphic', model: 'comment', tables: ['comment'],
    seqWrite: async (m) => (await m.image.findByPk(2)).addComment(3),
    assocWrite: 'SELECT image_add_comment(2, 3)',
    state: 'SELECT to_jsonb(c) - \'updatedAt\' FROM comments c ORDER BY id' },
  { name: 'polymorphic: image.setComments', scenario: 'polymorphic', model: 'comment', tables: ['comment'],
    seqWrite: async (m) => (await m.image.findByPk(1)).setComments([2]),
    assocWrite: 'SELECT image_set_comments(1, ARRAY[2])',
    state: 'SELECT to_jsonb(c) - \'updatedAt\' FROM comments c ORDER BY id' },
  // find_all's include of the commentable (assoc.polymorphic) against the
  // manual's pattern: the same object per comment
  { name: 'polymorphic: Comment.findAll include commentable (Sequelize: include image and video, then the getter)',
    scenario: 'polymorphicEnforced', model: 'comment', polymorphic: commentable,
    seqFn: async (m) => withCommentable(await m.comment.findAll({ include: [m.image, m.video], order: [['id', 'ASC']] })),
    sql: 'SELECT * FROM assoc.find_all(\'comments\', \'{"include": ["commentable"]}\')' },
  { name: 'polymorphic: a page of comments with their commentable',
    scenario: 'polymorphicEnforced', model: 'comment', polymorphic: commentable,
    seqFn: async (m) => withCommentable(await m.comment.findAll({
      attributes: ['id', 'title', 'commentableType'], include: [m.image, m.video], order: [['id', 'DESC']], limit: 3 })),
    sql: 'SELECT * FROM assoc.find_all(\'comments\', \'{"attributes": ["id", "title", "commentableType"], "include": ["commentable"], "order": [["id", "DESC"]], "limit": 3}\')' },
  { name: 'polymorphic: images with their comments, each with its commentable',
    scenario: 'polymorphicEnforced', model: 'image',
    seqFn: async (m) => (await m.image.findAll({
      include: [{ model: m.comment, include: [m.image, m.video] }], order: [['id', 'ASC'], [m.comment, 'id', 'ASC']] }))
      .map((i) => ({ ...i.toJSON(), comments: withCommentable(i.comments) })),
    sql: 'SELECT * FROM assoc.find_all(\'images\', \'{"include": [{"association": "comments", "include": ["commentable"]}]}\')',
    polymorphic: commentable },

];

module.exports = { SCENARIOS, CASES, ts };
