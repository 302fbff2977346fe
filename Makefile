# Two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
BUILD_TEST    ?= build/test
BUILD_RELEASE ?= build/release
JOBS          ?= $(shell nproc)
CMAKE_COMMON  := -G Ninja -DCMAKE_EXPORT_COMPILE_COMMANDS=ON

.PHONY: run test build-test build-release build-bench bench fuzz clean bootstrap web

build/.bootstrapped: scripts/bootstrap $(wildcard web/package-lock.json) $(wildcard agents/package-lock.json) $(wildcard bench/peers/package-lock.json)
	scripts/bootstrap

bootstrap: build/.bootstrapped

build-release: build/.bootstrapped
	cmake -S . -B $(BUILD_RELEASE) $(CMAKE_COMMON) -DCMAKE_BUILD_TYPE=Release -DTETHER_TESTS=OFF
	cmake --build $(BUILD_RELEASE) -j $(JOBS) --target tether

# The test build: clang with AddressSanitizer + UndefinedBehaviorSanitizer.
build-test: build/.bootstrapped
	cmake -S . -B $(BUILD_TEST) $(CMAKE_COMMON) -DCMAKE_BUILD_TYPE=Debug -DTETHER_SANITIZE=ON \
	  -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g"
	cmake --build $(BUILD_TEST) -j $(JOBS)

# The web app into web/dist (Vite, then Subresource Integrity hashes and web/dist/app-hash.txt);
# serve it with `tether relay --web-root web/dist` or `tether daemon --web-root web/dist`.
web: build/.bootstrapped
	cd web && npm run build

# The pinned agent CLIs (agents/node_modules/.bin) come first on PATH; the daemon's direct
# listener (127.0.0.1:7777) serves the web app just built.
run: build-release web
	PATH="$(CURDIR)/agents/node_modules/.bin:$$PATH" $(BUILD_RELEASE)/tether daemon --web-root $(CURDIR)/web/dist

# Ends with what was skipped (scripts/report_skips.py), so that a skip is seen, not taken for a pass.
test: build-test
	rm -rf $(BUILD_TEST)/skipped
	ctest --test-dir $(BUILD_TEST) -j $(JOBS) --output-on-failure --timeout 300 --output-junit ctest-junit.xml; \
	  rc=$$?; python3 scripts/report_skips.py $(BUILD_TEST); exit $$rc

# Release build of the benchmarks; raw results land in bench/results/, and bench/report.mjs
# writes docs/benchmarks.md from them (bench/notes.md holds the analysis that goes with it).
build-bench: build/.bootstrapped
	cmake -S . -B build/bench $(CMAKE_COMMON) -DCMAKE_BUILD_TYPE=Release -DTETHER_TESTS=OFF -DTETHER_BENCH=ON
	cmake --build build/bench -j $(JOBS) --target bench_noise tether bench_fill_events bench_approval_rtt

bench: build-bench web
	mkdir -p bench/results
	node bench/relay_bench.mjs --tether build/bench/tether --out bench/results/relay.json
	build/bench/bench/bench_noise --benchmark_min_time=1 --benchmark_repetitions=5 --benchmark_enable_random_interleaving=true \
	  --benchmark_report_aggregates_only=true --benchmark_out=bench/results/noise.json --benchmark_out_format=json
	node bench/daemon_bench.mjs --tether build/bench/tether --tools build/bench/bench --out bench/results/daemon.json
	python3 bench/session_bench.py --tether build/bench/tether --tools build/bench/bench --events 1000 --reps 1 --out bench/results/sessions.json
	node bench/report.mjs

# Each libFuzzer harness for FUZZ_SECONDS (default 60), or for FUZZ_RUNS executions
# (then no time limit unless FUZZ_SECONDS is given too); corpus kept in the build tree.
FUZZ_RUNS ?= -1
ifeq ($(FUZZ_RUNS),-1)
FUZZ_SECONDS ?= 60
else
FUZZ_SECONDS ?= 0
endif
fuzz: build-test
	cmake -S . -B $(BUILD_TEST) -DTETHER_FUZZ_SECONDS=$(FUZZ_SECONDS) -DTETHER_FUZZ_TARGET_RUNS=$(FUZZ_RUNS)
	cmake --build $(BUILD_TEST) --target fuzz

clean:
	rm -rf build
