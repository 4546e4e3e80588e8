# kv toolkit build. `make` builds everything into bin/; see README for the rest.
#
# Sources are found by wildcard: every common/*.c goes into libkvcommon.a,
# every kvd/*.c into bin/kvd, and so on, so adding a file needs no edit here.

CC      ?= cc
OPT     ?= -O2
CFLAGS  ?=
WARN    := -Wall -Wextra -Werror -Wno-missing-field-initializers
BASEFLAGS := -std=gnu11 $(OPT) -g $(WARN) -D_GNU_SOURCE -Icommon -MMD -MP
LDLIBS_COMMON := -levent -levent_openssl -lssl -lcrypto -llzf -lm -lpthread
BUILD   ?= build
BIN     ?= bin
SANFLAGS :=

ifeq ($(SANITIZE),1)
  SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
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
UNIT_SRC   := $(wildcard tests/unit/test_*.c)

COMMON_OBJ := $(COMMON_SRC:%.c=$(BUILD)/%.o)
KVD_OBJ    := $(KVD_SRC:%.c=$(BUILD)/%.o)
KVD_LIBOBJ := $(filter-out $(BUILD)/kvd/main.o,$(KVD_OBJ))
CLI_OBJ    := $(CLI_SRC:%.c=$(BUILD)/%.o)
CHECKRDB_OBJ := $(CHECKRDB_SRC:%.c=$(BUILD)/%.o)
UNIT_BINS  := $(UNIT_SRC:tests/unit/%.c=$(BIN)/%)

LIBCOMMON := $(BUILD)/libkvcommon.a

.PHONY: all deps run test test-unit test-integration test-compat format format-check \
        sanitize bench clean install

all: $(BIN)/kvd $(BIN)/kv-cli $(BIN)/kv-check-rdb $(UNIT_BINS)

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
	$(CC) $(SANFLAGS) -o $@ $(KVD_OBJ) $(LIBCOMMON) $(LDLIBS_COMMON) $(MALLOC_LIB)

$(BIN)/kv-cli: $(CLI_OBJ) $(LIBCOMMON)
	@mkdir -p $(BIN)
	$(CC) $(SANFLAGS) -o $@ $(CLI_OBJ) $(LIBCOMMON) -lhiredis -ledit $(LDLIBS_COMMON)

$(BIN)/kv-check-rdb: $(CHECKRDB_OBJ) $(LIBCOMMON)
	@mkdir -p $(BIN)
	$(CC) $(SANFLAGS) -o $@ $(CHECKRDB_OBJ) $(LIBCOMMON) $(LDLIBS_COMMON)

# Unit tests link common and kvd's internals (everything but kvd/main.o).
$(BIN)/test_%: $(BUILD)/tests/unit/test_%.o $(KVD_LIBOBJ) $(LIBCOMMON)
	@mkdir -p $(BIN)
	$(CC) $(SANFLAGS) -o $@ $< $(KVD_LIBOBJ) $(LIBCOMMON) $(LDLIBS_COMMON) $(MALLOC_LIB)

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

sanitize:
	$(MAKE) SANITIZE=1 all
	@KV_BIN=$(abspath bin-san) KV_SANITIZE=1 ./tests/run-all.sh --no-compat

bench: deps all
	@./bench/run.sh

FORMAT_FILES = $(shell git ls-files '*.c' '*.h' 2>/dev/null)

format:
	clang-format -i $(FORMAT_FILES)

format-check:
	@./scripts/format-check.sh

PREFIX ?= /usr/local
install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BIN)/kvd $(BIN)/kv-cli $(BIN)/kv-check-rdb $(DESTDIR)$(PREFIX)/bin/

clean:
	rm -rf build build-san bin bin-san

-include $(COMMON_OBJ:.o=.d) $(KVD_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(CHECKRDB_OBJ:.o=.d)
