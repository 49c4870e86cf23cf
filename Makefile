# tactful — a keyboard-driven terminal inbox for public-sector social media officers.
# `make deps` installs what the build needs, `make` builds ./tactful, `make check` runs every test.

VERSION   := 0.1.0
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
DATADIR   ?= $(PREFIX)/share/tactful
MANDIR    ?= $(PREFIX)/share/man
DESTDIR   ?=

CC        ?= cc
PKG_CONFIG ?= pkg-config
PKGS      := ncursesw libcurl jansson sqlite3 inih libutf8proc libpcre2-8
TEST_PKGS := cmocka

# Debian packages that `make deps` installs: the build, the tests and the demo.
DEB_PKGS  := build-essential pkg-config libncurses-dev libcurl4-openssl-dev libjansson-dev \
             libsqlite3-dev libinih-dev libutf8proc-dev libpcre2-dev libcmocka-dev tmux sqlite3 \
             ncurses-term locales

# ncursesw's pkg-config adds its own feature macros; ours (below) are the ones we mean.
PKG_CFLAGS := $(filter-out -D_XOPEN_SOURCE=% -D_DEFAULT_SOURCE, \
                $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null))
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
TEST_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(TEST_PKGS) 2>/dev/null)
TEST_LIBS   := $(shell $(PKG_CONFIG) --libs $(TEST_PKGS) 2>/dev/null)

WARN      := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
CFLAGS    ?= -O2 -g
CPPFLAGS  += -I. -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE \
             -DTACTFUL_VERSION='"$(VERSION)"' -DTACTFUL_DATADIR='"$(DATADIR)"'
ALL_CFLAGS = -std=c17 $(WARN) $(CFLAGS) $(PKG_CFLAGS)

BUILD     := build
LIB_SRC   := $(wildcard model/*.c) $(wildcard net/*.c) $(wildcard tui/*.c) \
             $(filter-out cli/main.c,$(wildcard cli/*.c))
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o)
LIB       := $(BUILD)/libtactful.a
TEST_SRC  := $(wildcard tests/*_test.c)
TEST_BIN  := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
BENCH_SRC := $(wildcard bench/*_bench.c)
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

.PHONY: all deps check check-unit check-cli check-tui bench run install uninstall clean

all: tactful

tactful: $(BUILD)/cli/main.o $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: tests/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(TEST_CFLAGS) -o $@ $< $(LIB) $(PKG_LIBS) $(TEST_LIBS)

$(BUILD)/bench/%: bench/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -o $@ $< $(LIB) $(PKG_LIBS) -lm

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

check: check-unit check-cli check-tui

check-unit: $(TEST_BIN)
	@tests/run-unit.sh $(TEST_BIN)

check-cli: tactful
	@tests/cli/run.sh ./tactful

check-tui: tactful
	@tests/tui/run.sh ./tactful

# Performance figures against the targets in the issues (not part of `make check`).
bench: tactful $(BENCH_BIN)
	@bench/run.sh $(BENCH_BIN)

# Install missing dependencies, build, and open the demo workspace.
run: deps
	@$(MAKE) --no-print-directory tactful
	./tactful --demo

install: tactful
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/demo $(DESTDIR)$(DATADIR)/keymaps \
	    $(DESTDIR)$(DATADIR)/rules $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5
	install -m 755 tactful $(DESTDIR)$(BINDIR)/tactful
	install -m 644 share/demo/*.jsonl $(DESTDIR)$(DATADIR)/demo/
	install -m 644 share/rules/*.rules share/rules/*.txt $(DESTDIR)$(DATADIR)/rules/
	for f in keymaps/*.keys; do [ ! -e "$$f" ] || install -m 644 "$$f" $(DESTDIR)$(DATADIR)/keymaps/; done
	install -m 644 man/tactful.1 $(DESTDIR)$(MANDIR)/man1/tactful.1
	install -m 644 man/tactful.5 $(DESTDIR)$(MANDIR)/man5/tactful.5

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/tactful $(DESTDIR)$(MANDIR)/man1/tactful.1 \
	    $(DESTDIR)$(MANDIR)/man5/tactful.5
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf $(BUILD) tactful
