#!/bin/sh
# A stand-in for `astro` in gui_hosts_test: logs its arguments (each in brackets, one line a call)
# to $ASTRO_STUB_DIR/calls.log and prints what the real command prints in the cases the test
# needs. It reaches no host: the real launches over ssh and Slurm are tests/remote's.
dir="$ASTRO_STUB_DIR"
line=""
for argument in "$@"; do line="$line[$argument]"; done
printf '%s\n' "$line" >> "$dir/calls.log"
workspace=""
if [ "$1" = "--workspace" ]; then workspace="$2"; shift 2; fi
case "$1" in
  run)
    host=""
    while [ $# -gt 0 ]; do
      if [ "$1" = "--on" ]; then host="$2"; fi
      shift
    done
    if [ "$host" = "down" ]; then
      echo "host down: ssh: connect to host down port 2222: Connection refused" >&2
      exit 1
    fi
    echo "run 7"
    ;;
  cancel) echo "asked run $2 on its host to checkpoint and stop" ;;
  resume) echo "run $2" ;;
  remote)
    if [ "$2" = "check" ]; then
      cat "$dir/check-$3.json" 2>/dev/null || { echo "no host profile '$3'" >&2; exit 1; }
    elif [ "$2" = "mirror" ]; then
      # One mirror a run, as runs/<id>/mirror.lock makes it.
      if ! mkdir "$dir/mirror-$3.lock" 2>/dev/null; then
        echo "run $3 is already being worked on" >&2
        exit 1
      fi
      echo "run $3"
      sleep 1
      rmdir "$dir/mirror-$3.lock"
    fi
    ;;
  fetch)
    if [ "$3" = "999" ]; then echo "run $2 has no artifact 999" >&2; exit 1; fi
    echo "copying runs/$2/checkpoint-100 from its host" >&2
    mkdir -p "$workspace/runs/$2/checkpoint-100"
    echo "$workspace/runs/$2/checkpoint-100"
    ;;
  *) echo "astro stub: $1 is not stubbed" >&2; exit 2 ;;
esac
