#!/usr/bin/env bash
# The translations' message templates, extracted again, and merged into every translation.
#
# - The book: book/po/messages.pot holds the chapters as written (code and outputs stay `{{#include}}`
#   and `{{#snapshot}}` lines, so they are never messages) and the exercises' hints
#   (exercises/hints/*.md, which the book includes and the grader prints) and the words in its figures
#   (book/src/*.svg; book/po/figures.py then writes each translated figure to book/src/LANG/).
# - The grader: po/messages.pot holds every sentence it prints, the `tr("…")` calls in src/*.rs.
#
# A new or changed message then shows in each PO file as untranslated or fuzzy. Run this after
# changing the English text; it needs mdbook-xgettext (cargo install mdbook-i18n-helpers) and GNU
# gettext.
#
# With --check it changes nothing, and fails (what .ci/run does): showing the difference, if a
# committed template is not what the sources give now; showing the messages, if a translation has one
# untranslated or fuzzy (a changed English text that msgmerge matched to its old translation, which
# must be looked at again); or if msgcmp or msgfmt --check find fault with a translation.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# mdbook-xgettext's settings: one message per paragraph, heading, list item or table cell, and
# every message in one file.
xgettext_output='{"xgettext": {"pot-file": "messages.pot", "granularity": 0}}'

# The book's chapters, then the hints: each hints file as a chapter of a small book of its own, less
# its headings (the exercises' names, which are not translated).
book_messages() {
  MDBOOK_OUTPUT=$xgettext_output mdbook build book -d "$work/chapters" >/dev/null 2>&1
  mkdir -p "$work/hints/src"
  printf '[book]\ntitle = "hints"\n[build]\ncreate-missing = false\n' >"$work/hints/book.toml"
  echo '# Summary' >"$work/hints/src/SUMMARY.md"
  for hints in exercises/hints/*.md; do
    name=${hints##*/}
    grep -v '^## ' "$hints" >"$work/hints/src/$name"
    echo "- [$name]($name)" >>"$work/hints/src/SUMMARY.md"
  done
  MDBOOK_OUTPUT=$xgettext_output mdbook build "$work/hints" -d "$work/hints/out" >/dev/null 2>&1
  # The hints' places, as a translator finds them in the repository.
  sed -i 's|^#: src/ch|#: exercises/hints/ch|' "$work/hints/out/messages.pot"
  # The small book's table of contents is not a message.
  msggrep --invert-match -N src/SUMMARY.md "$work/hints/out/messages.pot" >"$work/hints.pot"
  python3 book/po/figures.py extract >"$work/figures.pot"
  msgcat --use-first --no-wrap "$work/chapters/messages.pot" "$work/hints.pot" "$work/figures.pot" |
    # Nor are the book's `{{#include}}` and `{{#snapshot}}` lines (mdbook-xgettext reads an include
    # in a Python block as a comment, `#include …`): they become code and outputs before anything
    # is translated.
    msggrep --invert-match --no-wrap -K -E -e '^(\{\{#(include|snapshot) |#include )'
}

# The grader's sentences. xgettext has no Rust reader, but its C reader finds the `tr("…")` calls;
# it warns of the lifetimes it takes for unterminated characters, which never share a line with one.
grader_messages() {
  # Places are files without lines, so that moving code changes nothing here.
  xgettext --language=C --keyword= --keyword=tr --from-code=UTF-8 --no-wrap --add-location=file \
    --package-name='From fork to Pool, the grader' -o - src/*.rs 2> >(grep -v 'unterminated character constant' >&2) |
    sed '1,4c\# The sentences the grader prints (po/update.sh extracts them from the tr("…") calls in src/).'
}

# Whether the committed template $1 is the new one $2, but for its date (the one line that changes
# when nothing else did); if not, the difference is shown.
in_step() {
  diff -u <(grep -v '^"POT-Creation-Date' "$1" 2>/dev/null) <(grep -v '^"POT-Creation-Date' "$2")
}

book_messages >"$work/book.pot"
grader_messages >"$work/grader.pot"
if [ "${1:-}" = --check ]; then
  stale=false
  if ! in_step book/po/messages.pot "$work/book.pot"; then
    echo "book/po/messages.pot is not what the book, its hints and its figures give now (the diff above)" >&2
    stale=true
  fi
  if ! in_step po/messages.pot "$work/grader.pot"; then
    echo "po/messages.pot is not what the grader's tr(\"…\") calls give now (the diff above)" >&2
    stale=true
  fi
  for po in book/po/*.po; do
    language=$(basename "$po" .po)
    python3 book/po/figures.py translate "$language" --check || stale=true
  done
  if $stale; then
    echo "run po/update.sh, translate what it marks, and commit" >&2
    exit 1
  fi
  for po in book/po/*.po po/*.po; do
    for kind in untranslated only-fuzzy; do
      left=$(msgattrib --"$kind" --no-obsolete --no-wrap "$po")
      if [ -n "$left" ]; then
        printf '%s\n' "$left" | sed '1,/^$/d' # the messages, without the file's header
        case $kind in
          untranslated) why="have no translation yet" ;;
          *) why="are fuzzy: their English changed since they were translated" ;;
        esac
        echo "$po: the messages above $why. Translate them (and remove their \"#, fuzzy\" line), then commit" >&2
        exit 1
      fi
    done
    msgcmp --use-untranslated "$po" "$(dirname "$po")/messages.pot"
    msgfmt --check --statistics -o /dev/null "$po"
  done
  exit 0
fi
in_step book/po/messages.pot "$work/book.pot" >/dev/null || cp "$work/book.pot" book/po/messages.pot
in_step po/messages.pot "$work/grader.pot" >/dev/null || cp "$work/grader.pot" po/messages.pot
for po in book/po/*.po po/*.po; do
  template=$(dirname "$po")/messages.pot
  msgmerge --quiet --update --backup=none --no-wrap "$po" "$template"
  msgattrib --no-obsolete --no-wrap -o "$po" "$po" # a message gone from the sources goes from the file
done
for po in book/po/*.po; do
  python3 book/po/figures.py translate "$(basename "$po" .po)"
done
