# One entry point for students, instructors and CI. Every target sets up .venv first (Python 3.11 + pip
# is all a fresh machine needs; as root, missing system packages are installed with apt).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
WORKDIR ?= grading
# one BLAS/torch thread per process: on 2 shared cores two threads were up to 25x slower under load
export OMP_NUM_THREADS ?= 1
export OPENBLAS_NUM_THREADS ?= 1
export MKL_NUM_THREADS ?= 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1
export JUPYTER_PLATFORM_DIRS := 1

.PHONY: setup system-deps demo test test-fast bench bench-scale release lint lab html clean

setup: system-deps $(VENV)/.installed

# bubblewrap sandboxes student kernels; chromium drives the browser tests.
system-deps:
	@missing=""; command -v bwrap >/dev/null || missing="$$missing bubblewrap"; \
	 command -v chromium >/dev/null || missing="$$missing chromium"; \
	 if [ -n "$$missing" ]; then \
	   if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	     echo "installing:$$missing"; \
	     (apt-get install -y -q $$missing >/dev/null 2>&1 || \
	      (apt-get update -q >/dev/null && apt-get install -y -q $$missing >/dev/null)) || \
	      echo "warning: could not install$$missing"; \
	   else echo "note: please install$$missing (grading needs bubblewrap; browser tests need chromium)"; fi; \
	 fi

# torch is installed first and pinned: 2.13.0 is the CPU wheel on the course machines; letting pip
# resolve it freely pulls a newer build with several GB of CUDA libraries.
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check torch==2.13.0
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev,dask]'
	touch $@

demo: setup
	$(PY) -m coursetools.demo --workdir $(WORKDIR)

# the whole suite: lint and output-stripping gates, unit and harness tests, release-in-sync, sample
# submissions graded against their expectations, nbval on every lecture and reference notebook,
# browser tests; on both cores (pytest-xdist, two processes; loadfile keeps each notebook, and each test
# module's shared fixtures, in one process)
test: setup
	$(PY) -m pytest tests notebooks source --nbval-lax -p no:cacheprovider -n 2 --dist loadfile

test-fast: setup
	$(PY) -m pytest tests -m "not slow and not browser" -p no:cacheprovider

bench: setup
	$(PY) -m tests.bench.run_bench

# a class of 800 graded end to end (about half an hour on 2 cores; not part of make test)
bench-scale: setup
	$(PY) -m tests.bench.run_scale

release: setup
	$(PY) -m autograder release

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/nbstripout --keep-id --verify notebooks/*.ipynb source/*/*.ipynb release/*/*.ipynb

# JupyterLab for the course on 127.0.0.1 with a local nbgrader exchange (Assignment List, Validate,
# Formgrader); see coursetools/lab.py
lab: setup
	$(PY) -m coursetools.lab --workdir $(WORKDIR)

# the lecture notebooks executed and rendered to a static site in course order (site/index.html)
html: setup
	$(PY) -m coursetools.site --out site

clean:
	rm -rf $(WORKDIR) site .pytest_cache
