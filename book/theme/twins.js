// Twins: a Rust listing and its Python twin. Without this script they are shown one above the other.
// With it, each pair becomes two tabs, Rust and Python; the reader's choice holds for every pair, on
// every page, and is remembered (localStorage) for the next visit.
(function () {
    "use strict";
    const KEY = "workbook-twin";
    const LABELS = { rust: "Rust", python: "Python" };

    // A panel is Python's if its listing is Python code, Rust's otherwise.
    function languageOf(panel) {
        const first = panel.querySelector("pre code");
        return first && first.classList.contains("language-python") ? "python" : "rust";
    }

    function show(language) {
        document.querySelectorAll(".twins.tabbed").forEach(function (twins) {
            twins.querySelectorAll(":scope > [data-twin]").forEach(function (panel) {
                panel.hidden = panel.dataset.twin !== language;
            });
            twins.querySelectorAll(":scope > .twins-tabs > button").forEach(function (button) {
                button.setAttribute("aria-selected", String(button.dataset.twin === language));
            });
        });
    }

    function choose(language) {
        try {
            localStorage.setItem(KEY, language);
        } catch (e) {
            // Storage may be off (a private window): the choice then holds for this page only.
        }
        show(language);
    }

    document.querySelectorAll(".twins").forEach(function (twins) {
        const panels = Array.from(twins.children);
        const languages = panels.map(languageOf);
        if (panels.length !== 2 || languages[0] === languages[1]) {
            return;
        }
        const tabs = document.createElement("div");
        tabs.className = "twins-tabs";
        tabs.setAttribute("role", "tablist");
        panels.forEach(function (panel, i) {
            panel.dataset.twin = languages[i];
            panel.setAttribute("role", "tabpanel");
            const button = document.createElement("button");
            button.type = "button";
            button.setAttribute("role", "tab");
            button.dataset.twin = languages[i];
            button.textContent = LABELS[languages[i]];
            button.addEventListener("click", function () {
                choose(languages[i]);
            });
            tabs.appendChild(button);
        });
        twins.insertBefore(tabs, twins.firstChild);
        twins.classList.add("tabbed");
    });

    let chosen = "rust";
    try {
        chosen = localStorage.getItem(KEY) || "rust";
    } catch (e) {
        // As above: no storage, Rust first.
    }
    show(LABELS[chosen] ? chosen : "rust");
})();
