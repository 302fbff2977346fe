# Two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
BUILD_TEST    ?= build/test
BUILD_RELEASE ?= build/release
JOBS          ?= $(shell nproc)
CMAKE_COMMON  := -G Ninja -DCMAKE_EXPORT_COMPILE_COMMANDS=ON

.PHONY: run test build-test build-release bench fuzz clean bootstrap

build/.bootstrapped: scripts/bootstrap $(wildcard web/package-lock.json)
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

run: build-release
	$(BUILD_RELEASE)/tether daemon

test: build-test
	ctest --test-dir $(BUILD_TEST) -j $(JOBS) --output-on-failure --timeout 300

bench:
	@echo "no benchmarks yet"

clean:
	rm -rf build
