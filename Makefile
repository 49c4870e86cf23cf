# tactful — a keyboard-driven terminal inbox for public-sector social media officers.
# `make deps` installs what the build needs, `make` builds ./tactful, `make check` runs every test.
# `make portable` builds ./tactful-portable (one static file), `make deb` the Debian package,
# `make dist` the source tarball with checksums; `make check-portable` tests the first two.

VERSION   := 0.1.0
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
DATADIR   ?= $(PREFIX)/share/tactful
MANDIR    ?= $(PREFIX)/share/man
DESTDIR   ?=

CC        ?= cc
PKG_CONFIG ?= pkg-config
PKGS      := ncursesw libcurl jansson sqlite3 inih libutf8proc libxml-2.0 libpcre2-8
TEST_PKGS := cmocka

# Debian packages that `make deps` installs: the build, the tests and the demo.
DEB_PKGS  := build-essential pkg-config libncurses-dev libcurl4-openssl-dev libjansson-dev \
             libsqlite3-dev libinih-dev libutf8proc-dev libpcre2-dev libcmocka-dev tmux sqlite3 \
             ncurses-term locales clang libclang-rt-14-dev valgrind python3 libxml2-dev \
             libstemmer-dev libssl-dev libnghttp2-dev libpsl-dev libzstd-dev libssh2-1-dev \
             libidn2-dev libunistring-dev libbrotli-dev zlib1g-dev liblzma-dev xz-utils lintian

# ncursesw's pkg-config adds its own feature macros; ours (below) are the ones we mean.
PKG_CFLAGS := $(filter-out -D_XOPEN_SOURCE=% -D_DEFAULT_SOURCE, \
                $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null))
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lstemmer
TEST_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(TEST_PKGS) 2>/dev/null)
TEST_LIBS   := $(shell $(PKG_CONFIG) --libs $(TEST_PKGS) 2>/dev/null)

WARN      := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
# `make WERROR=1 ...` turns every warning into an error (CI builds this way).
WERROR    ?=
ifeq ($(WERROR),1)
WARN      += -Werror
endif
CFLAGS    ?= -O2 -g
PORTABLE_DEFS ?=
CPPFLAGS  += -I. -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE \
             -DTACTFUL_VERSION='"$(VERSION)"' -DTACTFUL_DATADIR='"$(DATADIR)"' $(PORTABLE_DEFS)
ALL_CFLAGS = -std=c17 $(WARN) $(CFLAGS) $(PKG_CFLAGS)

BUILD     ?= build
BIN       ?= tactful
LIB_SRC   := $(wildcard model/*.c) $(wildcard net/*.c) $(wildcard tui/*.c) \
             $(filter-out cli/main.c,$(wildcard cli/*.c))
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o)
LIB       := $(BUILD)/libtactful.a
TEST_SRC  := $(wildcard tests/*_test.c)
TEST_BIN  := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
HELPER_BIN := $(patsubst tests/%.c,$(BUILD)/tests/%,$(wildcard tests/helper_*.c))
BENCH_SRC := $(wildcard bench/*_bench.c)
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

.PHONY: all build-all deps check check-unit check-cli check-tui check-fuzz check-real bench bench-large bench-team \
        man run install uninstall clean sanitize valgrind fuzz portable check-portable deb dist \
        check-quality guard-models

all: $(BIN)

# Everything that compiles from the tree: the program, unit tests, test helpers, benchmarks.
build-all: $(BIN) $(TEST_BIN) $(HELPER_BIN) $(BENCH_BIN)

$(BIN): $(BUILD)/cli/main.o $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: tests/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(TEST_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(PKG_LIBS) \
	    $(TEST_LIBS)

# The fake platform: model/platform.c and net/adapter.c compiled again with one more entry in
# the platform table, linked before the library so they replace its copies.
FAKE_PLATFORM := -DTACTFUL_PLATFORM_EXTRA='"tests/platform_fake/entry.h"'
$(BUILD)/tests/platform_fake_test: tests/platform_fake_test.c tests/platform_fake/fakebook.c \
        tests/platform_fake/entry.h model/platform.c net/adapter.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(FAKE_PLATFORM) $(ALL_CFLAGS) $(TEST_CFLAGS) $(LDFLAGS) -o $@ \
	    tests/platform_fake_test.c tests/platform_fake/fakebook.c model/platform.c \
	    net/adapter.c $(LIB) $(PKG_LIBS) $(TEST_LIBS)

$(BUILD)/tests/helper_%: tests/helper_%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -o $@ $< $(LIB) $(PKG_LIBS)

$(BUILD)/bench/%: bench/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(PKG_LIBS) -lm

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# Install the Debian packages the build and tests need; a no-op when all are present.
deps:
	@missing=""; for p in $(DEB_PKGS); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then echo "deps: all present"; exit 0; fi; \
	echo "deps: installing$$missing"; \
	if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO=sudo; fi; \
	$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $$missing

check: check-unit check-cli check-tui check-fuzz

# The guardrails' word models, remade from tests/guardrails/dev as tests/guardrails/models
# lists them (make check fails when they are not current).
guard-models:
	@grep -v '^#' tests/guardrails/models | while read -r cat text opts; do \
	    echo "python3 tests/guardrails/train-model.py $$opts $$cat $$text any share/rules/$$cat.model"; \
	    python3 tests/guardrails/train-model.py $$opts $$cat $$text any share/rules/$$cat.model || exit 1; \
	done

# The guardrails' targets on the held-out split as well as on dev (tests/guardrails/README).
check-quality: $(BUILD)/tests/model_guard_corpus_test
	@GUARD_CORPUS_STRICT=1 $(BUILD)/tests/model_guard_corpus_test

check-unit: $(TEST_BIN)
	@tests/run-unit.sh $(TEST_BIN)

check-cli: $(BIN) $(HELPER_BIN)
	@tests/cli/run.sh ./$(BIN)

check-tui: $(BIN)
	@tests/tui/run.sh ./$(BIN)

# The whole suite again under AddressSanitizer and UndefinedBehaviorSanitizer.
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
             -fno-sanitize-recover=all
sanitize:
	@TACTFUL_DATADIR=$(CURDIR)/share:$(CURDIR) ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	 UBSAN_OPTIONS=print_stacktrace=1 \
	 $(MAKE) --no-print-directory BUILD=build/asan BIN=build/asan/tactful \
	     CFLAGS="$(SAN_FLAGS)" LDFLAGS="-fsanitize=address,undefined" \
	     check-unit check-cli check-tui

# The unit and command-line suites under valgrind memcheck: no invalid access, no definite leak.
VALGRIND := valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
            --show-leak-kinds=definite
valgrind: $(BIN) $(TEST_BIN)
	@tests/run-unit.sh --wrap "$(VALGRIND)" $(TEST_BIN)
	@TACTFUL_WRAP="$(VALGRIND)" tests/cli/run.sh ./$(BIN)

# libFuzzer targets for every parser of outside input (clang). `make fuzz` runs each for
# FUZZ_SECONDS; `make check` runs each briefly plus every saved crash as a regression.
FUZZ_SECONDS ?= 60
FUZZ_CC      := clang
FUZZ_FLAGS   := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_SRC     := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN     := $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
FUZZ_LIB_SRC := $(wildcard model/*.c) $(wildcard net/*.c) $(wildcard tui/*.c)
FUZZ_LIB_OBJ := $(FUZZ_LIB_SRC:%.c=build/fuzz/obj/%.o)
FUZZ_LIB     := build/fuzz/libtactful-fuzz.a

# The library once, instrumented for the fuzzer; each target links against it.
build/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -std=c17 $(WARN) $(CPPFLAGS) $(PKG_CFLAGS) -g -O1 \
	    -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -MMD -MP -c -o $@ $<

$(FUZZ_LIB): $(FUZZ_LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

build/fuzz/%: tests/fuzz/%.c $(FUZZ_LIB)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -std=c17 $(WARN) $(CPPFLAGS) $(PKG_CFLAGS) $(FUZZ_FLAGS) -o $@ $< $(FUZZ_LIB) \
	    $(PKG_LIBS)

$(FUZZ_BIN): $(wildcard tests/fuzz/*.h)

# Test binaries are rebuilt when a shared test header changes.
$(TEST_BIN) $(HELPER_BIN): $(wildcard tests/*.h)

fuzz: $(FUZZ_BIN)
	@tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_BIN)

check-fuzz: $(FUZZ_BIN)
	@tests/fuzz/run.sh 3 $(FUZZ_BIN)

# tactful against a real WordPress and a real Bluesky network brought up on loopback by
# tests/real (installs their Debian and npm packages on first use; needs root).
check-real: tactful $(HELPER_BIN)
	@sh tests/real/tactful_test.sh ./tactful

# Performance figures against the targets in the issues (not part of `make check`).
bench: tactful $(BENCH_BIN)
	@bench/run.sh $(BENCH_BIN)

# The scale figures of issue 14 at 3,000,000 posts: imports of 100,000 to 3,000,000 posts (rate,
# memory, -wal, bytes per post) and the inbox on a 3,000,000-post cache (generated once into
# build/bench/, several minutes). Not part of `make bench` or CI.
bench-large: tactful $(BUILD)/bench/import_bench $(BUILD)/bench/tui_bench
	@TACTFUL_BENCH_IMPORT_SIZES="100000 3000000" TACTFUL_BENCH_POSTS=3000000 \
	    bench/run.sh $(BUILD)/bench/import_bench $(BUILD)/bench/tui_bench

# How many officers one cache serves: N officer processes and a sync-like writer on one cache
# (bench/team_bench.c; TACTFUL_BENCH_TEAM="5 20 50 100" and friends tune it). Also in `make bench`.
bench-team: $(BUILD)/bench/team_bench
	@bench/run.sh $(BUILD)/bench/team_bench

# Regenerates the manual's sections that come from tables: tactful(1)'s options, commands and
# key list, tactful(5)'s configuration and rule-file keys (tests/cli/man_test.sh and
# keys_test.sh fail when one is out of date).
man: $(BIN)
	@man/generate.sh ./$(BIN)

# Install missing dependencies, build, and open the demo workspace.
run: deps
	@$(MAKE) --no-print-directory tactful
	./tactful --demo

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/demo $(DESTDIR)$(DATADIR)/keymaps \
	    $(DESTDIR)$(DATADIR)/rules $(DESTDIR)$(DATADIR)/patterns $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/tactful
	install -m 644 share/demo/*.jsonl $(DESTDIR)$(DATADIR)/demo/
	install -m 644 share/rules/*.rules share/rules/*.txt share/rules/*.model $(DESTDIR)$(DATADIR)/rules/
	install -m 644 share/patterns/*.pattern $(DESTDIR)$(DATADIR)/patterns/
	for f in keymaps/*.keys; do [ ! -e "$$f" ] || install -m 644 "$$f" $(DESTDIR)$(DATADIR)/keymaps/; done
	install -m 644 man/tactful.1 $(DESTDIR)$(MANDIR)/man1/tactful.1
	install -m 644 man/tactful.5 $(DESTDIR)$(MANDIR)/man5/tactful.5

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/tactful $(DESTDIR)$(MANDIR)/man1/tactful.1 \
	    $(DESTDIR)$(MANDIR)/man5/tactful.5
	rm -rf $(DESTDIR)$(DATADIR)

# ---- Portable build and Debian package (README: "Portable build and Debian package") ----

# `make portable`: ./tactful-portable, one static file that carries its share tree, keymaps,
# man pages, terminal descriptions and a UTF-8 character table (unpacked once into
# $XDG_CACHE_HOME/tactful/share-VERSION-ID/). Its objects are built apart, in build/portable,
# with TACTFUL_PORTABLE defined (no account-database look-up).
PORTABLE       := tactful-portable
PORTABLE_BUILD := build/portable
PORTABLE_TERMS := xterm xterm-256color xterm-color screen screen-256color tmux tmux-256color \
                  linux vt100 vt102 vt220 ansi dumb rxvt-unicode rxvt-unicode-256color putty \
                  putty-256color
# Every library from its static archive. libcurl's optional Kerberos (GSS-API), LDAP and RTMP
# have no static archive in Debian and libxml2's ICU would add 30 MiB: portable/stubs.c stands
# in for them and each reports failure, so those features are simply absent.
PORTABLE_LIBS  := -lncursesw -ltinfo -lcurl -lnghttp2 -lssh2 -lpsl -lidn2 -lunistring -lssl \
                  -lcrypto -lzstd -lbrotlidec -lbrotlicommon -ljansson -lsqlite3 -linih \
                  -lutf8proc -lxml2 -llzma -lz -lpcre2-8 -lm -lpthread -ldl
# Of Debian's libstemmer only Snowball's runtime and the English stemmer (portable/stemmer.c
# says why): every language's stemmer would cost half a megabyte.
PORTABLE_STEM_OBJS := api.o utilities.o stem_UTF_8_english.o
PORTABLE_MAX_BYTES := 12582912
ICU_MAJOR      := $(firstword $(subst ., ,$(shell $(PKG_CONFIG) --modversion icu-uc 2>/dev/null)))

# The portable build is made for size: -Os, and sections nobody calls dropped at link time.
portable:
	@$(MAKE) --no-print-directory BUILD=$(PORTABLE_BUILD) PORTABLE_DEFS=-DTACTFUL_PORTABLE \
	    CFLAGS="-Os -ffunction-sections -fdata-sections" LDFLAGS="$(LDFLAGS) -Wl,--gc-sections" \
	    $(PORTABLE)

$(PORTABLE): $(BUILD)/cli/main.o $(BUILD)/portable/embedded.o $(BUILD)/portable/inflate.o \
        $(BUILD)/portable/stubs.o $(LIB) $(BUILD)/portable/stemmer.o $(BUILD)/portable/libstem-en.a
	@[ -n "$(PORTABLE_DEFS)" ] || { echo "build $@ with 'make portable'" >&2; exit 1; }
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -static -s -o $@ $^ $(PORTABLE_LIBS)
	@size=$$(wc -c <$@); echo "$@: $$size bytes"; \
	 [ $$size -lt $(PORTABLE_MAX_BYTES) ] || { echo "$@ is over its 12 MiB budget" >&2; exit 1; }

$(BUILD)/portable/embedded.c: portable/embed.sh portable/files.sh Makefile \
        $(wildcard share/*/* keymaps/*.keys man/tactful.[15])
	@mkdir -p $(dir $@)
	portable/embed.sh $@ $$(portable/files.sh $(PORTABLE_TERMS))

$(BUILD)/portable/embedded.o: $(BUILD)/portable/embedded.c cli/embedded.h
	$(CC) $(CPPFLAGS) -std=c17 -c -o $@ $<

$(BUILD)/portable/stubs.o: portable/stubs.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -DICU_MAJOR=$(ICU_MAJOR) -c -o $@ $<

$(BUILD)/portable/stemmer.o: portable/stemmer.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/portable/libstem-en.a:
	@mkdir -p $(BUILD)/portable/stem
	cd $(BUILD)/portable/stem && ar x "$$($(CC) -print-file-name=libstemmer.a)" $(PORTABLE_STEM_OBJS)
	rm -f $@ && ar rcs $@ $(addprefix $(BUILD)/portable/stem/,$(PORTABLE_STEM_OBJS))

$(BUILD)/portable/inflate.o: portable/inflate.c cli/embedded.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

# `make deb`: build/tactful_VERSION_ARCH.deb: the binary built apart (build/deb) for
# PREFIX=/usr, the share tree, man pages, copyright, changelog and README.Debian.
DEB_ARCH       := $(shell dpkg --print-architecture 2>/dev/null || echo amd64)
DEB            := build/tactful_$(VERSION)_$(DEB_ARCH).deb
DEB_MAINTAINER ?= $(shell git log -1 --format='%an <%ae>' 2>/dev/null)

deb:
	@$(MAKE) --no-print-directory BUILD=build/deb BIN=build/deb/tactful PREFIX=/usr \
	    build/deb/tactful
	@rm -rf build/deb/root
	@$(MAKE) --no-print-directory BUILD=build/deb BIN=build/deb/tactful PREFIX=/usr \
	    DESTDIR=$(CURDIR)/build/deb/root install >/dev/null
	@portable/deb.sh $(VERSION) $(DEB_ARCH) "$(DEB_MAINTAINER)" build/deb/root $(DEB)

# `make dist`: build/dist/ with the source tarball of the committed tree
# (tactful-VERSION.tar.gz), tactful-portable-VERSION-x86_64 and their SHA256SUMS.
DIST := build/dist

dist: portable
	@rm -rf $(DIST) && mkdir -p $(DIST)
	git archive --format=tar --prefix=tactful-$(VERSION)/ HEAD | gzip -9n \
	    >$(DIST)/tactful-$(VERSION).tar.gz
	cp $(PORTABLE) $(DIST)/tactful-portable-$(VERSION)-x86_64
	cd $(DIST) && sha256sum tactful-$(VERSION).tar.gz tactful-portable-$(VERSION)-x86_64 \
	    >SHA256SUMS && cat SHA256SUMS

# The portable binary run in an empty root (needs root for chroot), its dependencies, its size.
check-portable: portable $(BIN) deb
	@tests/portable/run.sh ./$(PORTABLE) ./$(BIN) $(DEB)

clean:
	rm -rf build tactful $(PORTABLE)
