"""The book, checked in a real browser: Debian's chromium, driven headless by Selenium.

Usage: /usr/bin/python3 book/check/browser_check.py BOOK_DIR SCREENSHOT_DIR

For every page of the built book (BOOK_DIR, mdBook's output), at 1280 x 900 pixels:
- it renders: a heading, and on a chapter page code blocks; no `{{#...}}` directive left unexpanded,
  and no mdBook `ANCHOR:` line showing;
- every picture has loaded;
- no code block scrolls sideways (both panels of every Rust/Python pair shown);
- every link to another page of the book leads to a file that exists, and every `#anchor` to an
  element with that id.
Then the search, from the introduction: typing "fork" lists results. Last, screenshots of the
introduction and of chapter 6 go to SCREENSHOT_DIR, for a person to look at.

Exits with 1 and a line per problem if anything is wrong.
"""
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


def page_problems(driver, page):
    """What is wrong with one page, as lines; and the page's links, as (href, from page)."""
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
    links = driver.execute_script(
        'return [...document.querySelectorAll("main a[href]")].map(a => a.getAttribute("href"));')
    return problems, links


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


def search_problems(driver, book):
    """The search, from the introduction: typing "fork" must list results."""
    driver.get((book / 'introduction.html').as_uri())
    driver.find_element(By.ID, 'mdbook-search-toggle').click()
    field = driver.find_element(By.ID, 'mdbook-searchbar')
    field.send_keys('fork')
    for _ in range(50):
        results = driver.find_elements(By.CSS_SELECTOR, '#mdbook-searchresults li')
        if results:
            return []
        time.sleep(0.1)
    return ['the search for "fork" found nothing']


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.split('\n\n')[1])
    book = pathlib.Path(sys.argv[1]).resolve()
    shots = pathlib.Path(sys.argv[2])
    shots.mkdir(parents=True, exist_ok=True)
    pages = sorted(p for p in book.glob('*.html') if p.name not in NOT_CHAPTERS)
    driver = browser()
    problems, links, ids = [], [], {}
    try:
        for page in pages:
            driver.get(page.as_uri())
            found, hrefs = page_problems(driver, page)
            problems += found
            links += [(page, href) for href in hrefs]
            ids[page.resolve()] = set(driver.execute_script(
                'return [...document.querySelectorAll("[id]")].map(e => e.id);'))
        for page, href in links:
            problems += link_problems(book, page, href, ids)
        problems += search_problems(driver, book)
        for name in ('introduction', 'ch06-pool'):
            driver.get((book / f'{name}.html').as_uri())
            driver.save_screenshot(str(shots / f'{name}.png'))
    finally:
        driver.quit()
    for problem in problems:
        print(problem)
    print(f'browser check: {len(pages)} pages, {len(links)} links, search, screenshots in {shots}: '
          + ('ok' if not problems else f'{len(problems)} problem(s)'))
    sys.exit(1 if problems else 0)


if __name__ == '__main__':
    main()
