"""The words in the book's figures, through the same gettext catalogues as its chapters.

Usage: python3 book/po/figures.py extract
       python3 book/po/figures.py translate LANG [--check]

Every figure of the book is an SVG file in book/src/ whose words are <text> elements. `extract`
prints them as a message template (POT) on standard output: each text with a word in it (a run of two
or more lowercase letters; names such as P1, R or SIGKILL are not words), with the figure as its
place. po/update.sh adds them to book/po/messages.pot, so they are translated in book/po/LANG.po
beside the chapters.

`translate LANG` writes, for each figure, book/src/LANG/NAME.svg: the figure with each text replaced
by its translation (a text without one stays as it is). The translated chapter shows it: its image
message points to LANG/NAME.svg. With --check it writes nothing and fails if a translated figure is
not what the catalogue gives now, or if the catalogue's image message does not point to it.
"""
import html
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIGURES = ROOT / 'book/src'
TEXT = re.compile(r'(<text\b[^>]*>)(.*?)(</text>)', re.S)
WORD = re.compile(r'\b[a-z]{2,}\b')


def figures():
    return sorted(FIGURES.glob('*.svg'))


def words_of(svg):
    """The texts of a figure that have a word in them, in order, each once: (whitespace, text, whitespace)."""
    for match in TEXT.finditer(svg):
        text = html.unescape(match.group(2))
        core = text.strip()
        if WORD.search(core):
            yield text[:len(text) - len(text.lstrip())], core, text[len(text.rstrip()):]


def po_string(text):
    return '"' + text.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n') + '"'


def extract():
    """The message template of every figure's words, on standard output."""
    places = {}
    for figure in figures():
        for _, core, _ in words_of(figure.read_text()):
            places.setdefault(core, []).append(f'book/src/{figure.name}')
    print('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n')
    for core, where in places.items():
        print(f'#: {" ".join(dict.fromkeys(where))}\nmsgid {po_string(core)}\nmsgstr ""\n')


def unescape(quoted):
    """The text of a PO string's quoted pieces, joined."""
    escapes = {'n': '\n', 't': '\t', '"': '"', '\\': '\\'}
    return re.sub(r'\\(.)', lambda m: escapes.get(m.group(1), m.group(1)),
                  ''.join(re.findall(r'"(.*)"', quoted)))


def catalogue(language):
    """msgid → msgstr of the translated messages (not fuzzy, not empty) of book/po/LANGUAGE.po."""
    translations = {}
    for entry in (ROOT / f'book/po/{language}.po').read_text().split('\n\n'):
        if re.search(r'^#,.*\bfuzzy\b', entry, re.M):
            continue
        parts = re.match(r'(?:#[^\n]*\n)*msgid ((?:".*"\n?)+)msgstr ((?:".*"\n?)+)', entry.strip() + '\n')
        if parts:
            msgid, msgstr = unescape(parts.group(1)), unescape(parts.group(2))
            if msgid and msgstr:
                translations[msgid] = msgstr
    return translations


def translated(svg, translations):
    def replace(match):
        text = html.unescape(match.group(2))
        core = text.strip()
        if not WORD.search(core) or core not in translations:
            return match.group(0)
        lead, trail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
        return match.group(1) + html.escape(lead + translations[core] + trail, quote=False) + match.group(3)
    return TEXT.sub(replace, svg)


def translate(language, check):
    translations = catalogue(language)
    directory = FIGURES / language
    problems = []
    for figure in figures():
        out = directory / figure.name
        svg = translated(figure.read_text(), translations)
        if check:
            if not out.exists() or out.read_text() != svg:
                problems.append(f'{out.relative_to(ROOT)} is not what book/po/{language}.po gives now')
        else:
            directory.mkdir(exist_ok=True)
            out.write_text(svg)
        if not any(f']({language}/{figure.name})' in text for text in translations.values()):
            problems.append(f'book/po/{language}.po: no image message points to {language}/{figure.name}')
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems and check:
        print('run po/update.sh (it writes the translated figures), point each image message of '
              f'book/po/{language}.po to its {language}/NAME.svg, and commit', file=sys.stderr)
        sys.exit(1)


def main():
    match sys.argv[1:]:
        case ['extract']:
            extract()
        case ['translate', language]:
            translate(language, check=False)
        case ['translate', language, '--check']:
            translate(language, check=True)
        case _:
            sys.exit(__doc__.split('\n\n')[1])


if __name__ == '__main__':
    main()
