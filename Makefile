# KeyProject: `make run` and `make test` work on a fresh Debian 12 machine as root.
BUILD   ?= build
DB      ?= data/keyproject.db
LISTEN  ?= 127.0.0.1:8080
JOBS    ?= 2

.PHONY: all deps build run test bench mutate clean

all: build

deps:
	bash scripts/install-deps.sh --web

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build $(BUILD) -j$(JOBS)
	bash scripts/build-web.sh

run: build
	bash scripts/run.sh $(BUILD)/keyproject "$(DB)" "$(LISTEN)"

test: build
	bash scripts/test.sh $(BUILD)

bench: build
	bash scripts/bench.sh $(BUILD)

# Not part of `make test`: mutants of server/src/{stats,domain,store,api} against the tests, score and
# survivors in bench/MUTATION.md. MUTATE_ARGS bounds it, e.g. MUTATE_ARGS="--files 'server/src/stats/*.cc' --max 80".
# MUTATE_WEB_ARGS: the Stryker configuration (the mount-free specs against the composables they test; the
# whole suite against every composable, stryker.config.mjs, takes hours on two cores).
MUTATE_ARGS ?= --max 200
MUTATE_WEB_ARGS ?= stryker.units.config.mjs
mutate: deps
	nice -n 19 python3 scripts/mutate.py --jobs $(JOBS) $(MUTATE_ARGS)
	bash scripts/mutate-web.sh $(MUTATE_WEB_ARGS)

clean:
	rm -rf $(BUILD)
