#!/usr/bin/env node
/*
 * expected_from_sequelize.js
 *	  Asks real Sequelize 6 (and so the inflection package it uses) how it
 *	  singularizes, pluralizes, camelizes and underscores a list of names,
 *	  and writes the answers as the SQL VALUES lists of test/sql/naming.sql.
 *
 * Usage (Sequelize is not a dependency of assoc; install it anywhere):
 *
 *	  mkdir -p /tmp/seqnames && cd /tmp/seqnames && npm init -y && npm install sequelize@6 pg
 *	  node test/naming/expected_from_sequelize.js /tmp/seqnames --update test/sql/naming.sql
 *
 * The first argument is a directory from which `sequelize` can be required
 * (a project directory or its node_modules); without it, require() uses
 * NODE_PATH.  With --update FILE the blocks between the "BEGIN generated:NAME"
 * and "END generated:NAME" lines of FILE are replaced; without it the blocks
 * are printed.  After an update, run the regression test and review
 * test/expected/naming.out.
 */
'use strict';

const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

let dir = null;
let update = null;
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
	if (args[i] === '--update')
		update = args[++i];
	else
		dir = args[i];
}

const req = dir ? createRequire(path.join(path.resolve(dir), 'noop.js')) : require;
const { Utils } = req('sequelize');
const sequelizeVersion = req('sequelize/package.json').version;
const inflectionVersion = createRequire(req.resolve('sequelize'))('inflection/package.json').version;

/* Table names and model names, in the shapes people give them. */
const words = [
	// regular, plural and singular
	'pugs', 'pug', 'owners', 'owner', 'users', 'user', 'posts', 'post',
	'comments', 'comment', 'tags', 'tag', 'orders', 'order', 'products',
	'product', 'customers', 'customer', 'invoices', 'invoice', 'accounts',
	'projects', 'tasks', 'teams', 'members', 'roles', 'permissions',
	'sessions', 'messages', 'events', 'files', 'images', 'students',
	'student', 'courses', 'course', 'books', 'authors', 'articles', 'notes',
	'groups', 'items', 'settings', 'logs', 'slugs', 'cookies', 'pies',
	'ties', 'zombies', 'schemas', 'bases', 'base', 'databases', 'database',
	'phases', 'responses', 'cases', 'houses', 'horses', 'places',
	// capitalised and upper case
	'Owners', 'Owner', 'Users', 'User', 'Pugs', 'People', 'Person',
	'Children', 'Child', 'Categories', 'Category', 'Companies', 'Addresses',
	'Statuses', 'Status', 'Mice', 'Wolves', 'Sheep', 'News', 'Data', 'Men',
	'Women', 'Foot', 'Feet', 'Geese', 'Quiz', 'Axis', 'Bus', 'Buses',
	'Analyses', 'Octopus', 'Series', 'Movies', 'Potatoes',
	'USERS', 'PEOPLE', 'CATEGORIES', 'STATUS', 'ADDRESSES', 'MICE', 'OX',
	'BOXES',
	// camelCase and PascalCase
	'UserProfiles', 'UserProfile', 'userProfiles', 'userProfile',
	'OrderItems', 'orderItem', 'BlogPosts', 'favoritePugs', 'favoritePug',
	'ProductCategories', 'ShippingAddresses', 'TeamMembers', 'UserRoles',
	'SalesPeople', 'salesPerson', 'GroupChildren', 'HTTPStatuses',
	// snake_case
	'user_profiles', 'user_profile', 'order_items', 'blog_posts',
	'product_categories', 'shipping_addresses', 'team_members',
	'user_roles', 'line_items', 'audit_logs', 'access_tokens', 'sales_people',
	'news_items', 'person_roles', 'tax_statuses',
	// irregular
	'person', 'people', 'man', 'men', 'woman', 'women', 'child', 'children',
	'mouse', 'mice', 'louse', 'lice', 'foot', 'feet', 'tooth', 'teeth',
	'goose', 'geese', 'ox', 'oxen', 'oxenfree', 'criterion', 'criteria',
	'genus', 'genera', 'datum', 'data', 'medium', 'media', 'matrix',
	'matrices', 'vertex', 'vertices', 'index', 'indices', 'indexes', 'quiz',
	'quizzes', 'axis', 'axes', 'crisis', 'crises', 'analysis', 'analyses',
	'basis', 'diagnosis', 'diagnoses', 'thesis', 'theses', 'synopsis',
	'parenthesis', 'parentheses', 'whereas', 'phenomenon', 'phenomena',
	'shoe', 'shoes',
	// uncountable (and some that are not)
	'sheep', 'news', 'equipment', 'information', 'rice', 'series',
	'species', 'deer', 'fish', 'money', 'software', 'hardware', 'research',
	'music', 'traffic', 'feedback', 'metadata', 'analytics', 'ethics',
	'physics', 'economics', 'police', 'staff', 'stuff', 'furniture',
	'luggage', 'chaos', 'gallows', 'measles', 'minus', 'black sheep',
	// -y and -ies
	'category', 'categories', 'company', 'companies', 'city', 'cities',
	'country', 'countries', 'story', 'stories', 'activity', 'activities',
	'entry', 'entries', 'key', 'keys', 'day', 'days', 'boy', 'boys',
	'survey', 'surveys', 'query', 'queries', 'reply', 'replies',
	'property', 'properties', 'soliloquy', 'soliloquies', 'movie', 'movies',
	'monkeys', 'guys',
	// -s and -ses
	'status', 'statuses', 'address', 'addresses', 'class', 'classes', 'bus',
	'buses', 'alias', 'aliases', 'campus', 'campuses', 'canvas', 'canvases',
	'bonus', 'bonuses', 'summons', 'summonses', 'process', 'processes',
	'business', 'businesses', 'access', 'success', 'glass', 'glasses', 'gas',
	'gases', 'lens', 'lenses', 'boss', 'bosses', 'census', 'focus',
	// -f, -fe and -ves
	'wolf', 'wolves', 'leaf', 'leaves', 'knife', 'knives', 'wife', 'wives',
	'life', 'lives', 'shelf', 'shelves', 'half', 'halves', 'calf', 'calves',
	'thief', 'thieves', 'roof', 'roofs', 'chief', 'chiefs', 'safe', 'safes',
	'hoof', 'hooves', 'archive', 'archives', 'drive', 'drives', 'hive',
	'hives', 'curve', 'curves', 'wave', 'waves', 'cave', 'caves', 'olive',
	'olives', 'giraffe', 'giraffes', 'staves', 'groves',
	// -x, -ch, -sh
	'box', 'boxes', 'tax', 'taxes', 'fox', 'match', 'matches', 'church',
	'churches', 'dish', 'dishes', 'batch', 'batches', 'branch', 'branches',
	'stomach',
	// -o
	'hero', 'heroes', 'potato', 'potatoes', 'tomato', 'tomatoes', 'buffalo',
	'buffaloes', 'photo', 'photos', 'zoo', 'zoos', 'video', 'videos', 'echo',
	'echoes', 'todo', 'todos',
	// -us and -i, -um and -a
	'octopus', 'octopuses', 'octopi', 'virus', 'viruses', 'alumnus',
	'alumni', 'stimulus', 'syllabus', 'radius', 'radii', 'cactus', 'cacti',
	'fungus', 'fungi', 'nucleus', 'curriculum', 'curricula', 'stadium',
	'forum', 'forums', 'album', 'albums', 'bacterium', 'bacteria', 'memoranda',
	'agenda', 'agendas', 'pizza', 'idea', 'ideas', 'via', 'militia',
	// with spaces, hyphens, dots, digits
	'my pugs', 'my pug', 'user profiles', 'blog posts', 'sales people',
	'line item', 'order-items', 'order-item', 'public.users', 'items ',
	' items', 'item2', 'items2', 'v2', 'table1', 'tables1', 'users_2023',
	'2fa', 's3_buckets', 'log2', 'version_10s', '42',
	// odd ones
	'', ' ', 's', 'S', 'ss', 'ies', 'ves', '_', 'a', 'is', 'us', 'i', 'x',
	'|ice', 'mices', 'Ox', 'oxen_carts', 'feet_sizes', 'children_books',
	'ice', 'dice', 'slice', 'slices', 'price', 'prices', 'vice', 'notice'
];

/* Identifiers for camelize and underscore. */
const identifiers = [
	'owner_id', 'Owner_id', 'ownerId', 'OwnerId', 'owner', 'Owner',
	'UserProfile', 'userProfile', 'user_profile_id', 'user-profile',
	'user profile', 'favoritePugs', 'favorite_pugs', 'HTTPServer',
	'getHTTPResponse', 'ID', 'userID', 'user_ID', '__private', '_id',
	'Foo::Bar', 'Admin::UserProfile', 'a::b::c', ':::', ' padded_name ',
	'a__b', 'owner--id', 'owner \t id', 'owner\nid', 'x_1', 'x_1_2',
	'user_2fa', 'studentId', 'student_id', 'course_id', 'pug_id',
	'source_id', 'target_id', 'Pug_id', 'Student_id', 'already_snake_case',
	'mixed_Case_Name', 'ALL_CAPS', 'CamelCase_with_underscore',
	'ends_in_id_', 'tab\tseparated', '-leading-dash', '_leading_underscore'
];

/* Names outside ASCII: checked only in UTF-8 databases. */
const unicodeWords = [
	'état_été', 'États', 'cafés', 'x_ß', 'straße', 'Straßen', 'ΟΔΟΣ',
	'ΣΑΣ ΣΑΣ', 'οδοί', 'Кошки', 'naïve_users', 'İstanbul', 'ÿ_ÿ',
	'x_ǆ', 'x_\u{10428}', 'x_\u00a0y', 'a\u3000b', '\u212Aarate',
	'\u212Anowledge', 'ÉTAT', 'Élèves', 'über_users', 'x_ŉ',
	'\u00a0users\u00a0', '\ufeffusers', 'résumés', 'señoritas',
	'日本_users', 'emoji_😀s', 'x_é', 'ÀÉ', 'x_\u2028y', 'a-\u0131'
];

/* What Sequelize answers; null where it throws. */
function ask(fn, w)
{
	try {
		return fn(w);
	} catch (e) {
		return null;
	}
}

/* An SQL literal; U& escapes for invisible and astral characters. */
function lit(s)
{
	if (s === null)
		return 'NULL';
	let escape = false;
	let out = '';
	for (const ch of s) {
		const cp = ch.codePointAt(0);
		if (cp < 0x20 || cp === 0x7f || /\s/.test(ch) && ch !== ' ' ||
			cp > 0xffff || (cp >= 0x2000 && cp <= 0x2fff) || cp === 0xfeff) {
			escape = true;
			out += cp > 0xffff
				? '\\+' + cp.toString(16).padStart(6, '0')
				: '\\' + cp.toString(16).padStart(4, '0');
		} else if (ch === '\\')
			out += '\\\\';
		else if (ch === "'")
			out += "''";
		else
			out += ch;
	}
	return escape ? "U&'" + out + "'" : "'" + out + "'";
}

function rows(list, cols)
{
	const seen = new Set();
	const lines = [];
	for (const w of list) {
		if (seen.has(w))
			continue;
		seen.add(w);
		lines.push('(' + cols.map(f => lit(f(w))).join(', ') + ')');
	}
	return lines.map((l, i) => '    ' + l + (i < lines.length - 1 ? ',' : '')).join('\n');
}

const all = [
	w => w,
	w => ask(Utils.singularize, w),
	w => ask(Utils.pluralize, w),
	w => ask(Utils.camelize, w),
	w => ask(Utils.underscore, w)
];

const header = list =>
	`-- ${new Set(list).size} names: answers of Sequelize ${sequelizeVersion} (inflection ${inflectionVersion})`;
const names = words.concat(identifiers);
const blocks = {
	names: header(names) + '\n' + rows(names, all),
	unicode: header(unicodeWords) + '\n' + rows(unicodeWords, all)
};

if (update) {
	let text = fs.readFileSync(update, 'utf8');
	for (const [name, body] of Object.entries(blocks)) {
		const re = new RegExp(`(-- BEGIN generated:${name}\\n)[^]*?(-- END generated:${name}\\n)`);
		if (!re.test(text))
			throw new Error(`no generated:${name} block in ${update}`);
		text = text.replace(re, (m, a, b) => a + body + '\n' + b);
	}
	fs.writeFileSync(update, text);
	console.error(`${update}: ${new Set(names).size} names, ${new Set(unicodeWords).size} non-ASCII names`);
} else {
	for (const [name, body] of Object.entries(blocks))
		console.log(`-- BEGIN generated:${name}\n${body}\n-- END generated:${name}`);
}
