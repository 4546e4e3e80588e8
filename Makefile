# kv toolkit build. `make` builds everything into bin/; see README for the rest.
#
# Sources are found by wildcard: every common/*.c goes into libkvcommon.a,
# every kvd/*.c into bin/kvd, and so on, so adding a file needs no edit here.

CC      ?= cc
OPT     ?= -O2
CFLAGS  ?=
WARN    := -Wall -Wextra -Werror -Wno-missing-field-initializers
BASEFLAGS := -std=gnu11 $(OPT) -g $(WARN) -D_GNU_SOURCE -Icommon -I/usr/include/lua5.1 -MMD -MP
LDLIBS_COMMON := -levent -levent_openssl -lssl -lcrypto -llzf -lm -lpthread
# Scripting: Debian's Lua 5.1 plus its lua-cjson and lua-bitop modules, linked
# by soname (the packages ship no unversioned .so for them).
LDLIBS_LUA := -llua5.1 -l:liblua5.1-cjson.so.0 -l:liblua5.1-bitop.so.0
BUILD   ?= build
BIN     ?= bin
SANFLAGS :=

ifeq ($(SANITIZE),1)
  # float-cast-overflow (a double out of the target integer's range) is UB
  # that GCC's -fsanitize=undefined leaves out.
  SANFLAGS := -fsanitize=address,undefined,float-cast-overflow -fno-omit-frame-pointer \
              -fno-sanitize-recover=undefined,float-cast-overflow
  BUILD := build-san
  BIN := bin-san
  MALLOC_LIB :=
  BASEFLAGS += -DKV_NO_JEMALLOC
else
  MALLOC_LIB := -ljemalloc
endif

ALLFLAGS = $(BASEFLAGS) $(SANFLAGS) $(CFLAGS)

COMMON_SRC := $(wildcard common/*.c)
KVD_SRC    := $(wildcard kvd/*.c)
CLI_SRC    := $(wildcard kv-cli/*.c)
CHECKRDB_SRC := $(wildcard kv-check-rdb/*.c)
CHECKAOF_SRC := $(wildcard kv-check-aof/*.c)
UNIT_SRC   := $(wildcard tests/unit/test_*.c)

COMMON_OBJ := $(COMMON_SRC:%.c=$(BUILD)/%.o)
KVD_OBJ    := $(KVD_SRC:%.c=$(BUILD)/%.o)
KVD_LIBOBJ := $(filter-out $(BUILD)/kvd/main.o,$(KVD_OBJ))
CLI_OBJ    := $(CLI_SRC:%.c=$(BUILD)/%.o)
CHECKRDB_OBJ := $(CHECKRDB_SRC:%.c=$(BUILD)/%.o)
CHECKAOF_OBJ := $(CHECKAOF_SRC:%.c=$(BUILD)/%.o)
UNIT_BINS  := $(UNIT_SRC:tests/unit/%.c=$(BIN)/%)

LIBCOMMON := $(BUILD)/libkvcommon.a

.PHONY: all deps run test test-unit test-integration test-compat format format-check \
        sanitize bench clean install fuzz fuzz-build

all: $(BIN)/kvd $(BIN)/kv-cli $(BIN)/kv-check-rdb $(BIN)/kv-check-aof $(UNIT_BINS)

deps:
	@./scripts/deps.sh

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALLFLAGS) -c $< -o $@

$(LIBCOMMON): $(COMMON_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN)/kvd: $(KVD_OBJ) $(LIBCOMMON)
	@mkdir -p $(BIN)
	$(CC) $(SANFLAGS) -o $@ $(KVD_OBJ) $(LIBCOMMON) $(LDLIBS_LUA) $(LDLIBS_COMMON) $(MALLOC_LIB)

$(BIN)/kv-cli: $(CLI_OBJ) $(LIBCOMMON)
	@mkdir -p $(BIN)
	$(CC) $(SANFLAGS) -o $@ $(CLI_OBJ) $(LIBCOMMON) -lhiredis -ledit $(LDLIBS_COMMON)

$(BIN)/kv-check-rdb: $(CHECKRDB_OBJ) $(LIBCOMMON)
	@mkdir -p $(BIN)
	$(CC) $(SANFLAGS) -o $@ $(CHECKRDB_OBJ) $(LIBCOMMON) $(LDLIBS_COMMON)

$(BIN)/kv-check-aof: $(CHECKAOF_OBJ) $(LIBCOMMON)
	@mkdir -p $(BIN)
	$(CC) $(SANFLAGS) -o $@ $(CHECKAOF_OBJ) $(LIBCOMMON) $(LDLIBS_COMMON)

# Unit tests link common and kvd's internals (everything but kvd/main.o).
$(BIN)/test_%: $(BUILD)/tests/unit/test_%.o $(KVD_LIBOBJ) $(LIBCOMMON)
	@mkdir -p $(BIN)
	$(CC) $(SANFLAGS) -o $@ $< $(KVD_LIBOBJ) $(LIBCOMMON) $(LDLIBS_LUA) $(LDLIBS_COMMON) $(MALLOC_LIB)

$(BUILD)/tests/unit/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALLFLAGS) -Ikvd -Itests/unit -c $< -o $@

run: deps all
	$(BIN)/kvd etc/kvd.conf

test: deps all format-check
	@./tests/run-all.sh

test-unit: all
	@./tests/unit/run.sh $(BIN)

test-integration: all
	@KV_BIN=$(abspath $(BIN)) bats --jobs 2 tests/integration

test-compat: all
	@KV_BIN=$(abspath $(BIN)) ./tests/compat/run.sh

# `make sanitize`: the ASan+UBSan build (bin-san/) and the unit and
# integration suites run on it (compat is left out: it checks replies, which
# the build does not change).  Any sanitizer report fails the run:
# - a kvd started by tests/helpers/kvd.bash writes its reports to its
#   stdout.log, which kvd_stop scans, failing the test (see the helper);
# - ASan/LeakSanitizer reports of every other process (unit tests, kv-cli,
#   kv-check-*, a kvd a test starts itself) go to $(SAN_REPORTS)/report.PID,
#   and any such file fails the run (and is printed);
# - UBSan reports of those other processes go to their stderr (GCC's UBSan
#   runtime ignores log_path when linked with ASan); the build aborts on the
#   first one (-fno-sanitize-recover), which the test sees as a failure.
# Leaks are checked at exit (detect_leaks=1): memory unreachable when a
# process exits, i.e. lost per request; what is still referenced at exit
# (the data set) is not a leak.  ASan is slow: a bats test gets 600 s
# (BATS_TEST_TIMEOUT), kvd 60 s to start (KVD_START_TIMEOUT) and 30 s to exit
# with its leak check (KVD_STOP_TIMEOUT); these, and ASAN_OPTIONS/UBSAN_OPTIONS
# additions, can be given in the environment.
SAN_REPORTS := $(abspath build-san/reports)
sanitize:
	$(MAKE) SANITIZE=1 all
	@rm -rf $(SAN_REPORTS) && mkdir -p $(SAN_REPORTS)
	@export KV_BIN=$(abspath bin-san) KV_SANITIZE=1 \
	    ASAN_OPTIONS="detect_leaks=1:log_path=$(SAN_REPORTS)/report$${ASAN_OPTIONS:+:$$ASAN_OPTIONS}" \
	    UBSAN_OPTIONS="print_stacktrace=1$${UBSAN_OPTIONS:+:$$UBSAN_OPTIONS}" \
	    BATS_TEST_TIMEOUT=$${BATS_TEST_TIMEOUT:-600} KVD_START_TIMEOUT=$${KVD_START_TIMEOUT:-60} \
	    KVD_STOP_TIMEOUT=$${KVD_STOP_TIMEOUT:-30}; \
	rc=0; ./tests/run-all.sh --no-compat --no-fuzz || rc=1; \
	for f in $(SAN_REPORTS)/report.*; do \
	    [ -e "$$f" ] || continue; echo "sanitize: sanitizer report $$f:"; cat "$$f"; rc=1; \
	done; \
	[ $$rc = 0 ] && echo "sanitize: no sanitizer report"; exit $$rc

# The MULTI/EXEC load generator of `make bench` (hiredis); not part of `all`.
$(BIN)/kv-bench-multi: bench/multi_bench.c
	@mkdir -p $(BIN)
	$(CC) -std=gnu11 $(OPT) -g $(WARN) -D_GNU_SOURCE $(CFLAGS) -o $@ $< -lhiredis

bench: deps all $(BIN)/kv-bench-multi
	@./bench/run.sh

FORMAT_FILES = $(shell git ls-files '*.c' '*.h' 2>/dev/null)

format:
	clang-format -i $(FORMAT_FILES)

format-check:
	@./scripts/format-check.sh

# libFuzzer targets (tests/fuzz/fuzz_*.c), built with clang and ASan/UBSan
# into bin-fuzz/ against common/ and kvd's objects (all but main.o);
# `make fuzz` runs each for FUZZ_SECONDS from the seed corpus in
# tests/fuzz/corpus/<target>/ (see tests/fuzz/run.sh); tests/run-all.sh
# runs it as its `fuzz` layer with FUZZ_SECONDS=10 under a timeout.
# The clang build stays in FUZZ_BUILD/FUZZ_BIN, never in build/ or bin/.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 30
FUZZ_BUILD   ?= build-fuzz
FUZZ_BIN     ?= bin-fuzz
FUZZ_FLAGS   := -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
                -fno-sanitize-recover=undefined -DKV_NO_JEMALLOC -Ikvd
FUZZ_SRC     := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_TARGETS := $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_BIN)/%)
FUZZ_LIBOBJ  := $(patsubst %.c,$(FUZZ_BUILD)/%.o,$(COMMON_SRC) $(filter-out kvd/main.c,$(KVD_SRC)))

$(FUZZ_BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(BASEFLAGS) $(FUZZ_FLAGS) -c $< -o $@

$(FUZZ_BIN)/fuzz_%: $(FUZZ_BUILD)/tests/fuzz/fuzz_%.o $(FUZZ_LIBOBJ)
	@mkdir -p $(FUZZ_BIN)
	$(FUZZ_CC) -fsanitize=fuzzer,address,undefined -o $@ $^ $(LDLIBS_LUA) $(LDLIBS_COMMON) \
	    $(FUZZ_EXTRA_LIBS)

# fuzz_clireply also links kv-cli's objects (all but main.o: the reply
# reader and formatter), and the libraries kv-cli links (hiredis, libedit).
FUZZ_CLIOBJ := $(patsubst %.c,$(FUZZ_BUILD)/%.o,$(filter-out kv-cli/main.c,$(CLI_SRC)))
$(FUZZ_BIN)/fuzz_clireply: $(FUZZ_CLIOBJ)
$(FUZZ_BIN)/fuzz_clireply: FUZZ_EXTRA_LIBS := -lhiredis -ledit
$(FUZZ_BUILD)/tests/fuzz/fuzz_clireply.o: FUZZ_FLAGS += -Ikv-cli

# Keep the objects (make would delete them as intermediates of the pattern rule).
.SECONDARY: $(FUZZ_LIBOBJ) $(FUZZ_CLIOBJ) $(FUZZ_SRC:%.c=$(FUZZ_BUILD)/%.o)

fuzz-build: $(FUZZ_TARGETS)

fuzz: fuzz-build
	@./tests/fuzz/run.sh $(FUZZ_BIN) $(FUZZ_SECONDS)

PREFIX ?= /usr/local
install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BIN)/kvd $(BIN)/kv-cli $(BIN)/kv-check-rdb $(BIN)/kv-check-aof $(DESTDIR)$(PREFIX)/bin/

clean:
	rm -rf build build-san bin bin-san build-fuzz bin-fuzz

-include $(COMMON_OBJ:.o=.d) $(KVD_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(CHECKRDB_OBJ:.o=.d) $(CHECKAOF_OBJ:.o=.d)
-include $(FUZZ_LIBOBJ:.o=.d) $(FUZZ_CLIOBJ:.o=.d) $(FUZZ_SRC:%.c=$(FUZZ_BUILD)/%.d)
