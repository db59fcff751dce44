#!/usr/bin/env bash
# The patch queue in virtual time, driven by the real queue engine (see QueueSim and run.sh).
exec "$(dirname "$0")/run.sh" sim
