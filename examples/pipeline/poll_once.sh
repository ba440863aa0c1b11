#!/usr/bin/env bash
# Look at a training once, from cron or a scheduled CI job: ./poll_once.sh VERSION_ARN
# Exits 0 once trained, 75 (EX_TEMPFAIL) while the training goes on (look again at the
# time it prints), and the command's other exit codes otherwise (3: training failed).
set -u
rekog-versions wait "$1" --once --output text
status=$?
case "$status" in
    0) echo "trained: run the quality gate next" ;;
    75) echo "still training: this job will look again" ;;
    *) echo "stopped with exit code $status (rekog-versions --help lists them)" >&2 ;;
esac
exit "$status"
