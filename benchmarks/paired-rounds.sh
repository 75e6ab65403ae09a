# shellcheck shell=bash
# Sourced by compare-7z and compare-redis: the round loop behind --rounds and --until-decided.
#
# paired_rounds ROUNDS MAX RUN JUDGE: calls `RUN r` for r = 1, 2, … (each round runs both sides
# back to back, the order alternating with r: ABBA); after ROUNDS rounds it stops unless MAX >
# ROUNDS, then it asks `JUDGE` (exit 3 = cannot tell yet) after every second round, so each
# added pair of rounds has both orders, and stops when JUDGE decides or at MAX rounds.
# Sets `rounds_done`.
paired_rounds() {
  local rounds=$1 max=$2 run=$3 judge=$4 r=0 rc
  while :; do
    r=$((r + 1))
    "$run" "$r"
    [ "$r" -ge "$rounds" ] || continue
    [ "$r" -lt "$max" ] || break
    [ $(((r - rounds) % 2)) = 0 ] || continue
    rc=0
    "$judge" || rc=$?
    [ "$rc" = 3 ] || break
    echo "  round $r: some rows cannot tell yet; adding rounds (at most $max)" >&2
  done
  # shellcheck disable=SC2034  # read by the caller
  rounds_done=$r
}
