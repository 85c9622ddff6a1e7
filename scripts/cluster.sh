# shellcheck shell=bash
# A throwaway PostgreSQL cluster (sourced by scripts/run.sh).
#
#   cluster_start [extra.conf]   initdb + start; exports PGHOST PGPORT PGUSER
#   cluster_stop                 stop it and delete everything it wrote
#
# Everything lives in one fresh `mktemp -d` directory: the data directory,
# the Unix socket, the server log.  Only the Unix socket is listened on
# (listen_addresses = ''), unless ASSOC_TEST_LISTEN names an address such as
# 127.0.0.1.  The port is $ASSOC_TEST_PORT (default 54329), or the next free
# one if something on this machine already listens there.  Authentication is
# trust; the superuser is "postgres".  As root, the server runs as the OS user
# postgres (created if missing), because PostgreSQL refuses to run as root.
#
# Needs PG_BINDIR (from scripts/ensure-postgres.sh) and scripts/common.sh.

CLUSTER_DIR=
CLUSTER_DATA=

# Run a command as the OS user the server runs as, in the cluster directory
# (the caller's working directory may not be readable by that user).
as_server_user() {
	if is_root; then
		if command -v runuser >/dev/null 2>&1; then
			(cd "$CLUSTER_DIR" && runuser -u postgres -- "$@")
		else
			(cd "$CLUSTER_DIR" && su -s /bin/sh postgres -c "$(printf '%q ' "$@")")
		fi
	else
		(cd "$CLUSTER_DIR" && "$@")
	fi
}

ensure_postgres_user() {
	getent passwd postgres >/dev/null 2>&1 && return 0
	step "creating the system user postgres"
	command -v useradd >/dev/null 2>&1 || die "no OS user postgres and no useradd to create it"
	if getent group postgres >/dev/null 2>&1; then
		useradd --system --gid postgres --home-dir /var/lib/postgresql \
			--no-create-home --shell /bin/bash postgres
	else
		useradd --system --user-group --home-dir /var/lib/postgresql \
			--no-create-home --shell /bin/bash postgres
	fi
}

# Does something listen on TCP port $1 on this machine?
port_in_use() {
	local hex
	hex=$(printf '%04X' "$1")
	[[ -r /proc/net/tcp ]] || return 1
	awk -v p=":$hex" '$4 == "0A" && substr($2, length($2) - 4) == p { found = 1 }
		END { exit !found }' /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

free_port_from() {
	local port=$1 tries=0
	while port_in_use "$port"; do
		port=$((port + 1))
		tries=$((tries + 1))
		((tries < 200)) || die "no free port found from $1 up"
	done
	printf '%s\n' "$port"
}

cluster_start() {
	local extra_conf=${1:-} base port attempt listen shm_type shm_kb
	listen=${ASSOC_TEST_LISTEN:-}

	# As root the server user must reach the directory, so not under $TMPDIR
	# (it may be /root/tmp); keep the socket path short (107-byte limit).
	base=/tmp
	if ! is_root && [[ -n ${TMPDIR:-} && -d $TMPDIR && ${#TMPDIR} -le 60 ]]; then
		base=$TMPDIR
	fi
	CLUSTER_DIR=$(mktemp -d "$base/assoc-pg.XXXXXX")
	CLUSTER_DATA=$CLUSTER_DIR/data
	if is_root; then
		ensure_postgres_user
		chown postgres: "$CLUSTER_DIR"
	fi
	chmod 700 "$CLUSTER_DIR"

	step "creating a throwaway cluster in $CLUSTER_DIR"
	if ! as_server_user "$PG_BINDIR/initdb" -D "$CLUSTER_DATA" -U postgres \
		-A trust -E UTF8 --locale=C --no-sync >"$CLUSTER_DIR/initdb.log" 2>&1; then
		show_tail "$CLUSTER_DIR/initdb.log"
		die "initdb failed"
	fi

	# POSIX shared memory needs a roomy /dev/shm (containers often give 64MB).
	shm_type=posix
	shm_kb=$(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 { print $2 }') || shm_kb=
	if [[ ! $shm_kb =~ ^[0-9]+$ ]] || ((shm_kb < 1048576)); then
		shm_type=mmap
	fi

	cat >>"$CLUSTER_DATA/postgresql.conf" <<EOF

# --- assoc throwaway cluster (scripts/cluster.sh) ---
listen_addresses = '$listen'
unix_socket_directories = '$CLUSTER_DIR'
unix_socket_permissions = 0700
fsync = off
synchronous_commit = off
full_page_writes = off
max_prepared_transactions = 10
dynamic_shared_memory_type = $shm_type
lc_messages = 'C'
log_min_messages = warning
log_line_prefix = '%m [%p] %q%a '
EOF
	if [[ -n $extra_conf && -f $extra_conf ]]; then
		# copied, since the server user may not be able to read the repo
		cp "$extra_conf" "$CLUSTER_DATA/assoc-extra.conf"
		if is_root; then chown postgres: "$CLUSTER_DATA/assoc-extra.conf"; fi
		printf "include 'assoc-extra.conf'\n" >>"$CLUSTER_DATA/postgresql.conf"
		note "server settings from $extra_conf"
	fi

	port=$(free_port_from "${ASSOC_TEST_PORT:-54329}")
	for attempt in 1 2 3 4 5; do
		# fd 9 is run.sh's machine-wide lock: the server must not inherit it
		if as_server_user "$PG_BINDIR/pg_ctl" start -w -t 120 -D "$CLUSTER_DATA" \
			-l "$CLUSTER_DIR/server.log" -o "-p $port" \
			>"$CLUSTER_DIR/pg_ctl.log" 2>&1 9>&-; then
			break
		fi
		if [[ -n $listen ]] && grep -q 'could not bind\|could not create any TCP/IP sockets' "$CLUSTER_DIR/server.log" 2>/dev/null && ((attempt < 5)); then
			note "port $port was taken meanwhile; trying another"
			port=$(free_port_from $((port + 1)))
			continue
		fi
		show_tail "$CLUSTER_DIR/pg_ctl.log" 20
		show_tail "$CLUSTER_DIR/server.log"
		die "the server did not start"
	done

	export PGHOST=$CLUSTER_DIR PGPORT=$port PGUSER=postgres
	unset PGHOSTADDR PGSERVICE PGOPTIONS PGDATABASE PGPASSWORD PGSSLMODE
	local version
	version=$("$PG_BINDIR/psql" -X -A -t -d postgres -c 'SHOW server_version') ||
		die "cannot connect to the new cluster"
	note "PostgreSQL $version up: PGHOST=$PGHOST PGPORT=$PGPORT PGUSER=$PGUSER${listen:+ (also TCP on $listen)}"
}

# Stop the server and delete the directory.  Safe to call twice, and from a
# trap: never fails.
cluster_stop() {
	local pid
	[[ -n ${CLUSTER_DIR:-} && -d $CLUSTER_DIR ]] || return 0
	if [[ -f $CLUSTER_DATA/postmaster.pid ]]; then
		as_server_user "$PG_BINDIR/pg_ctl" stop -D "$CLUSTER_DATA" -m fast -w -t 30 >/dev/null 2>&1 ||
			as_server_user "$PG_BINDIR/pg_ctl" stop -D "$CLUSTER_DATA" -m immediate -w -t 30 >/dev/null 2>&1 ||
			true
		if [[ -f $CLUSTER_DATA/postmaster.pid ]]; then
			pid=$(head -n 1 "$CLUSTER_DATA/postmaster.pid" 2>/dev/null || true)
			if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
				kill -9 "$pid" 2>/dev/null || true
				sleep 1
			fi
		fi
	fi
	rm -rf "$CLUSTER_DIR" 2>/dev/null || true
	CLUSTER_DIR=
	CLUSTER_DATA=
}
