// The language switch: a link in the menu bar to the same page in the other edition. The English
// edition is the site's root; the Chinese one, built from the same chapters and po/zh-CN.po, is its
// zh-CN/ folder. Every chapter is at the top of its edition, so a page's name is all it takes; the
// headings have the same ids in both (each is written with its id), so the link keeps the place too.
(function () {
    "use strict";
    const chinese = document.documentElement.lang === "zh-CN";
    const page = window.location.pathname.split("/").pop() || "index.html";
    const root = typeof path_to_root === "string" ? path_to_root : "";
    const link = document.createElement("a");
    const target = root + (chinese ? "../" : "zh-CN/") + page;
    link.href = target + window.location.hash;
    window.addEventListener("hashchange", function () {
        link.href = target + window.location.hash;
    });
    link.textContent = chinese ? "English" : "中文";
    link.lang = chinese ? "en" : "zh-CN";
    link.className = "language-switch";
    link.title = chinese ? "Read this page in English" : "阅读本页的中文版";
    const buttons = document.querySelector(".right-buttons");
    if (buttons) {
        buttons.prepend(link);
    }
})();
