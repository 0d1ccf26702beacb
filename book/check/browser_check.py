"""The book, checked in a real browser: Debian's chromium, driven headless by Selenium.

Usage: /usr/bin/python3 book/check/browser_check.py BOOK_DIR SCREENSHOT_DIR
         [--search WORD] [--screenshot PAGE]... [--font FAMILY] [--same-code-as OTHER_BOOK_DIR]

For every page of the built book (BOOK_DIR, mdBook's output, one edition), at 1280 x 900 pixels:
- it renders: a heading, and on a chapter page code blocks; no `{{#...}}` directive left unexpanded,
  and no mdBook `ANCHOR:` line showing;
- every picture has loaded;
- no code block scrolls sideways (both panels of every Rust/Python pair shown);
- every link to another page of the book leads to a file that exists, and every `#anchor` to an
  element with that id; so does the language switch, to the page in the other edition;
- with --font, the text of the page is drawn in part with a font whose family name holds FAMILY
  (as chromium reports it: "CJK" for the Chinese edition), not with boxes for missing glyphs.
Then the search, from the introduction: typing WORD ("fork" unless --search) lists results, the first
leading to a section of the book, under a line that names WORD (in the edition's language). With
--same-code-as, every page's code blocks and outputs are the same, character for character, as the
same page's in the other edition: a translation changes no code. Last, screenshots of each PAGE (the
introduction and chapter 6 unless --screenshot) go to SCREENSHOT_DIR, for a person to look at.

Exits with 1 and a line per problem if anything is wrong.
"""
import argparse
import html.parser
import pathlib
import sys
import time
import urllib.parse

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

WIDTH, HEIGHT = 1280, 900
# mdBook's own pages, which are not chapters of the book.
NOT_CHAPTERS = {'404.html', 'print.html', 'toc.html'}


def browser():
    """Headless chromium at the width the book is checked for."""
    options = Options()
    options.binary_location = '/usr/bin/chromium'
    for argument in ('--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
                     '--disable-background-networking', f'--window-size={WIDTH},{HEIGHT}'):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service('/usr/bin/chromedriver'), options=options)


def page_problems(driver, page, font):
    """What is wrong with one page, as lines; and the page's links (with the language switch)."""
    problems = []
    name = page.name
    if not driver.find_elements(By.CSS_SELECTOR, 'main h1, main h2'):
        problems.append(f'{name}: no heading: the page did not render')
    main_text = driver.find_element(By.TAG_NAME, 'main').text
    if '{{#' in main_text:
        problems.append(f'{name}: a {{{{#...}}}} directive was left unexpanded')
    if 'ANCHOR:' in main_text or 'ANCHOR_END:' in main_text:
        problems.append(f'{name}: an mdBook anchor shows: include the listing by its anchor, or drop it')
    if name.startswith('ch') and not driver.find_elements(By.CSS_SELECTOR, 'main pre code'):
        problems.append(f'{name}: a chapter with no code block')
    broken_images = driver.execute_script(
        'return [...document.querySelectorAll("main img")]'
        '.filter(i => !i.complete || i.naturalWidth === 0).map(i => i.getAttribute("src"));')
    problems += [f'{name}: the picture {src} did not load' for src in broken_images]
    sideways = driver.execute_script(
        'document.querySelectorAll("[data-twin]").forEach(p => { p.hidden = false; });'
        'return [...document.querySelectorAll("main pre code")]'
        '.filter(c => c.scrollWidth > c.clientWidth + 1)'
        '.map(c => c.textContent.split("\\n").reduce((a, b) => a.length >= b.length ? a : b).slice(0, 60));')
    problems += [f'{name}: a code block scrolls sideways at {WIDTH}px: "{line}…"' for line in sideways]
    if font:
        problems += font_problems(driver, name, font)
    links = driver.execute_script(
        'return [...document.querySelectorAll("main a[href], a.language-switch")]'
        '.map(a => a.getAttribute("href"));')
    if not driver.find_elements(By.CSS_SELECTOR, 'a.language-switch'):
        problems.append(f'{name}: no language switch in the menu bar')
    return problems, links


def font_problems(driver, name, family):
    """Whether chromium drew the first paragraph of the page with a font whose family holds `family`
    (DevTools' CSS.getPlatformFontsForNode: the fonts that really drew its glyphs)."""
    driver.execute_cdp_cmd('DOM.enable', {})
    driver.execute_cdp_cmd('CSS.enable', {})
    root = driver.execute_cdp_cmd('DOM.getDocument', {})['root']['nodeId']
    node = driver.execute_cdp_cmd('DOM.querySelector', {'nodeId': root, 'selector': 'main p'})['nodeId']
    if not node:
        return [f'{name}: no paragraph to look at the font of']
    fonts = driver.execute_cdp_cmd('CSS.getPlatformFontsForNode', {'nodeId': node})['fonts']
    if any(family in f['familyName'] and f['glyphCount'] > 0 for f in fonts):
        return []
    used = ', '.join(f"{f['familyName']} ({f['glyphCount']} glyphs)" for f in fonts) or 'none'
    return [f'{name}: its text is drawn with no "{family}" font (fonts used: {used}): install one']


def link_problems(book, page, href, ids):
    """What is wrong with the link `href` on `page`: a missing file, or a missing anchor."""
    parts = urllib.parse.urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith('mailto:'):
        return []
    target = page if not parts.path else (page.parent / urllib.parse.unquote(parts.path)).resolve()
    if not target.exists():
        return [f'{page.name}: the link {href} leads to no file']
    if parts.fragment and target.suffix == '.html':
        known = ids.get(target)
        if known is not None and urllib.parse.unquote(parts.fragment) not in known:
            return [f'{page.name}: the link {href} leads to no element with that id']
    return []


def search_problems(driver, book, word):
    """The search, from the introduction: typing `word` must list results, the first a section of
    a page of the book."""
    driver.get((book / 'introduction.html').as_uri())
    driver.find_element(By.ID, 'mdbook-search-toggle').click()
    field = driver.find_element(By.ID, 'mdbook-searchbar')
    field.send_keys(word)
    for _ in range(50):
        results = driver.find_elements(By.CSS_SELECTOR, '#mdbook-searchresults li a')
        if results:
            href = results[0].get_attribute('href')
            page = pathlib.Path(urllib.parse.unquote(urllib.parse.urlsplit(href).path))
            if page.parent != book or not page.exists():
                return [f'the first result of the search for "{word}" leads out of the book: {href}']
            header = driver.find_element(By.ID, 'mdbook-searchresults-header').text
            if word not in header:
                return [f'the line above the results of the search for "{word}" does not name it: "{header}"']
            if driver.find_element(By.TAG_NAME, 'html').get_attribute('lang') != 'en' and 'search result' in header:
                return [f'the line above the search results is in English in a translated edition: "{header}"']
            return []
        time.sleep(0.1)
    return [f'the search for "{word}" found nothing']


class CodeBlocks(html.parser.HTMLParser):
    """The text of every `<pre>` of a page, as written in its HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks, self.depth = [], 0

    def handle_starttag(self, tag, attrs):
        if tag == 'pre':
            self.depth += 1
            if self.depth == 1:
                self.blocks.append('')

    def handle_endtag(self, tag):
        if tag == 'pre':
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.blocks[-1] += data


def code_blocks(page):
    parser = CodeBlocks()
    parser.feed(page.read_text())
    return parser.blocks


def code_problems(pages, other):
    """Where a page's code blocks and outputs differ from the same page's in the other edition."""
    problems = []
    for page in pages:
        ours, theirs = code_blocks(page), code_blocks(other / page.name)
        if len(ours) != len(theirs):
            problems.append(f'{page.name}: {len(ours)} code blocks, {len(theirs)} in {other}')
            continue
        for number, (a, b) in enumerate(zip(ours, theirs), 1):
            if a != b:
                line = next(x for x, y in zip(a.split('\n') + [''], b.split('\n') + ['']) if x != y)
                problems.append(f'{page.name}: code block {number} differs from {other}\'s, at "{line[:60]}"')
    return problems


def arguments():
    parser = argparse.ArgumentParser(usage=__doc__.split('\n\n')[1].removeprefix('Usage: '))
    parser.add_argument('book', type=pathlib.Path)
    parser.add_argument('shots', type=pathlib.Path)
    parser.add_argument('--search', default='fork')
    parser.add_argument('--screenshot', action='append', dest='screenshots')
    parser.add_argument('--font')
    parser.add_argument('--same-code-as', type=pathlib.Path)
    return parser.parse_args()


def main():
    args = arguments()
    book = args.book.resolve()
    shots = args.shots
    shots.mkdir(parents=True, exist_ok=True)
    pages = sorted(p for p in book.glob('*.html') if p.name not in NOT_CHAPTERS)
    problems = code_problems(pages, args.same_code_as.resolve()) if args.same_code_as else []
    driver = browser()
    links, ids = [], {}
    try:
        for page in pages:
            driver.get(page.as_uri())
            found, hrefs = page_problems(driver, page, args.font)
            problems += found
            links += [(page, href) for href in hrefs]
            ids[page.resolve()] = set(driver.execute_script(
                'return [...document.querySelectorAll("[id]")].map(e => e.id);'))
        for page, href in links:
            problems += link_problems(book, page, href, ids)
        problems += search_problems(driver, book, args.search)
        for name in args.screenshots or ('introduction', 'ch06-pool'):
            driver.get((book / f'{name}.html').as_uri())
            driver.save_screenshot(str(shots / f'{name}.png'))
    finally:
        driver.quit()
    for problem in problems:
        print(problem)
    print(f'browser check of {book}: {len(pages)} pages, {len(links)} links, search for "{args.search}", '
          f'screenshots in {shots}: '
          + ('ok' if not problems else f'{len(problems)} problem(s)'))
    sys.exit(1 if problems else 0)


if __name__ == '__main__':
    main()
