# shellcheck shell=bash
# Small helpers shared by scripts/*.sh (sourced, not run).

# "==> what is happening now"
step() { printf '==> %s\n' "$*"; }

# an indented detail under the last step
note() { printf '    %s\n' "$*"; }

warn() { printf 'warning: %s\n' "$*" >&2; }

die() {
	printf 'error: %s\n' "$*" >&2
	exit 1
}

is_root() { [[ $(id -u) -eq 0 ]]; }

# Print the last lines of a log file, indented, under a heading.
show_tail() {
	local file=$1 lines=${2:-40}
	[[ -s $file ]] || return 0
	printf -- '---- last %s lines of %s ----\n' "$lines" "$file" >&2
	tail -n "$lines" "$file" >&2
	printf -- '---- end of %s ----\n' "$file" >&2
}

# Run the function $1 on exit; on Ctrl-C, TERM and HUP exit with the
# shell's status for them (130, 143, 129), which runs it too.
trap_exit() {
	trap "$1" EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP
}
