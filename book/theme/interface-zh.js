// mdBook's own words on a page of the Chinese edition, in Chinese: the search box, the line above
// the search results, and the titles of the menu bar's buttons. mdBook writes them in English for
// every language; the chapters themselves are translated through po/zh-CN.po.
(function () {
    "use strict";
    if (document.documentElement.lang !== "zh-CN") {
        return;
    }
    const titles = {
        "Toggle Table of Contents": "显示或隐藏目录",
        "Change theme": "更换主题",
        "Search (`/`)": "搜索（`/`）",
        "Toggle Searchbar": "显示或隐藏搜索框",
        "Print this book": "打印本书",
        "Previous chapter": "上一章",
        "Next chapter": "下一章",
    };
    document.querySelectorAll("[title], [aria-label]").forEach(function (element) {
        ["title", "aria-label"].forEach(function (name) {
            const chinese = titles[element.getAttribute(name)];
            if (chinese) {
                element.setAttribute(name, chinese);
            }
        });
    });
    const searchbar = document.getElementById("mdbook-searchbar");
    if (searchbar) {
        searchbar.placeholder = "搜索本书……";
    }
    // The searcher writes the line again for each search: "3 search results for 'fork':",
    // "1 search result for 'fork':" or "No search results for 'fork'."
    const header = document.getElementById("mdbook-searchresults-header");
    if (!header) {
        return;
    }
    const inChinese = function () {
        const found = header.innerText.match(/^(\d+) search results? for '(.*)':$/);
        const none = header.innerText.match(/^No search results for '(.*)'\.$/);
        if (found) {
            header.innerText = "“" + found[2] + "”的搜索结果，共 " + found[1] + " 条：";
        } else if (none) {
            header.innerText = "没有“" + none[1] + "”的搜索结果。";
        }
    };
    new MutationObserver(inChinese).observe(header, { childList: true, characterData: true, subtree: true });
})();
