#!/usr/bin/env bash
# Extracts the messages of the English book (the chapters as written: code and outputs stay
# `{{#include}}` and `{{#snapshot}}` lines) into book/po/messages.pot, then merges them into every
# translation, where a new or changed message shows as untranslated or fuzzy. Run it after changing
# the English text; it needs mdbook-xgettext (cargo install mdbook-i18n-helpers) and GNU gettext.
#
# With --check it changes nothing: it fails, showing the difference, if the committed
# book/po/messages.pot is not what the book gives now (what .ci/run does).
set -euo pipefail
cd "$(dirname "$0")/../.."
extracted=$(mktemp -d)
trap 'rm -rf "$extracted"' EXIT
MDBOOK_OUTPUT='{"xgettext": {"pot-file": "messages.pot", "granularity": 0}}' \
  mdbook build book -d "$extracted" >/dev/null 2>&1
# The creation date is the only line that changes when nothing else did: it is left out.
if diff -u <(grep -v '^"POT-Creation-Date' book/po/messages.pot 2>/dev/null) \
           <(grep -v '^"POT-Creation-Date' "$extracted/messages.pot"); then
  in_step=true
else
  in_step=false
fi
if [ "${1:-}" = --check ]; then
  if ! $in_step; then
    echo "book/po/messages.pot is not what the book gives now (the diff above): run book/po/update.sh, translate what it marks, and commit" >&2
    exit 1
  fi
  exit 0
fi
$in_step || cp "$extracted/messages.pot" book/po/messages.pot
for po in book/po/*.po; do
  msgmerge --quiet --update --backup=none --no-wrap "$po" book/po/messages.pot
  msgattrib --no-obsolete --no-wrap -o "$po" "$po" # a message gone from the book goes from the file
done
