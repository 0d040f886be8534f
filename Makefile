# dyad - news text in, CAMEO-coded political events out.
#
#   make demo     build, then code the example articles (and the seed article in ../shared)
#   make test     build and run every test; ends with "N passed, N failed"
#   make test-clickhouse  the ClickHouse event store on a local two-shard cluster
#   make deps     install the Debian packages the build and tests need (as root)
#   make bench    benchmarks (ratios against baselines measured in the same run)
#   make models   retrain the committed tagger/parser model from ../shared/ud
#   make fuzz     build the libFuzzer targets (clang)

SHARED  ?= ../shared
BUILD   ?= build
CC      ?= cc
PKGS    := libutf8proc libcjson libarchive zlib libzstd sqlite3 libmicrohttpd libcurl
CFLAGS  ?= -O2 -g
WARN    := -std=c11 -Wall -Wextra -Werror -Wno-unused-parameter
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Iinclude -Isrc
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
LDLIBS  += $(PKG_LIBS) -lm -lpthread

LIB_SRC  := $(wildcard src/*.c)
CLI_SRC  := $(wildcard cli/*.c)
UNIT_SRC := $(wildcard test/unit/*.c)
BENCH_SRC := $(wildcard bench/*.c)

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN := $(UNIT_SRC:test/unit/%.c=$(BUILD)/test/%)
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

.PHONY: all deps demo test test-clickhouse check check-asan bench models fuzz clean cameo-table

all: $(BUILD)/dyad $(UNIT_BIN) $(BENCH_BIN)

deps:
	@sh scripts/deps.sh

$(BUILD)/%.o: %.c include/dyad.h src/internal.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(WARN) $(CFLAGS) -MMD -MP -c $< -o $@

# The command line finds the committed model by its absolute path unless told otherwise.
$(BUILD)/cli/%.o: CPPFLAGS += -DDYAD_DEFAULT_MODEL='"$(CURDIR)/models/dyad-en.model"'
$(BUILD)/cli/%.o: CPPFLAGS += -DDYAD_DEFAULT_DICT='"$(CURDIR)/dict"'
$(BUILD)/cli/%.o: CPPFLAGS += -DDYAD_DEFAULT_WEB='"$(CURDIR)/web"'
$(BUILD)/bench/%.o: CPPFLAGS += -DDYAD_DEFAULT_MODEL='"$(CURDIR)/models/dyad-en.model"'
$(BUILD)/bench/%.o: CPPFLAGS += -DDYAD_DEFAULT_DICT='"$(CURDIR)/dict"'

$(BUILD)/libdyad.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/dyad: $(CLI_OBJ) $(BUILD)/libdyad.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libdyad.a $(LDLIBS)

$(BUILD)/test/%: $(BUILD)/test/unit/%.o $(BUILD)/libdyad.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libdyad.a $(LDLIBS)

# Benchmark programs (bench/*.c): stage timings over the library's stage entry points.
$(BUILD)/bench/%: $(BUILD)/bench/%.o $(BUILD)/libdyad.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libdyad.a $(LDLIBS)

# The demo: the team's example articles, then the seed article when ../shared is there.
demo: deps all
	@sh scripts/demo.sh $(BUILD)/dyad $(SHARED)

# Every test, then the same unit and spec tests under AddressSanitizer + UBSan.
test: deps all
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/asan \
	    CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	    LDFLAGS="-fsanitize=address,undefined" all >/dev/null
	@sh test/run.sh $(BUILD) $(SHARED)

check: test

# The ClickHouse store on a two-shard cluster of local servers against the SQLite store
# (installs clickhouse-server when missing; see docs/clickhouse.md).
test-clickhouse: all
	@sh test/clickhouse/run.sh $(BUILD)/dyad $(SHARED) $(BUILD)


check-asan: deps
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/asan \
	    CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	    LDFLAGS="-fsanitize=address,undefined" all
	@DYAD_ASAN_ONLY=1 sh test/run.sh $(BUILD) $(SHARED)

bench: deps all
	@sh bench/run.sh $(BUILD) $(SHARED)

# Retrain the committed model (deterministic: the same data and seed give the same bytes).
models: all
	$(BUILD)/dyad train --train $(SHARED)/ud/en_ewt-ud-train.conllu \
	    --dev $(SHARED)/ud/en_ewt-ud-dev.conllu --seed 1 -o models/dyad-en.model

fuzz: deps
	@$(MAKE) --no-print-directory -C fuzz BUILD=../$(BUILD)/fuzz

# The CAMEO code table compiled into the library, generated from dict/cameo.txt.
cameo-table:
	sh scripts/gen-cameo-table.sh dict/cameo.txt > src/cameo_table.c

clean:
	rm -rf $(BUILD)

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(UNIT_SRC:test/unit/%.c=$(BUILD)/test/unit/%.d) \
    $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%.d)
