#!/usr/bin/env bash
# Extracts the messages of the English book (the chapters as written: code and outputs stay
# `{{#include}}` and `{{#snapshot}}` lines) into book/po/messages.pot, then merges them into every
# translation, where a new or changed message shows as untranslated or fuzzy. Run it after changing
# the English text; it needs mdbook-xgettext (cargo install mdbook-i18n-helpers) and GNU gettext.
set -euo pipefail
cd "$(dirname "$0")/../.."
extracted=$(mktemp -d)
trap 'rm -rf "$extracted"' EXIT
MDBOOK_OUTPUT='{"xgettext": {"pot-file": "messages.pot", "granularity": 0}}' \
  mdbook build book -d "$extracted" >/dev/null 2>&1
# The creation date is the only line that changes when nothing else did: keep the committed one.
if [ -f book/po/messages.pot ] &&
  diff -q <(grep -v '^"POT-Creation-Date' book/po/messages.pot) \
          <(grep -v '^"POT-Creation-Date' "$extracted/messages.pot") >/dev/null; then
  :
else
  cp "$extracted/messages.pot" book/po/messages.pot
fi
for po in book/po/*.po; do
  msgmerge --quiet --update --backup=none --no-wrap "$po" book/po/messages.pot
  msgattrib --no-obsolete --no-wrap -o "$po" "$po" # a message gone from the book goes from the file
done
