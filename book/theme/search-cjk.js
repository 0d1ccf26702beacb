// Search for Chinese words. mdBook's index splits the text at spaces, and elasticlunr's query
// pipeline drops every character that is not a Latin letter or a digit, so in Chinese text, which
// has no spaces between words, a query such as 进程 would find nothing. For a query with a CJK
// character, this searches the sections the index stores, for the query's words as written: a
// section is found when it holds every word, and sections rank by how often they hold them, a
// title counting double as in mdBook's own search. Any other query goes to elasticlunr as before.
(function () {
    "use strict";
    if (typeof elasticlunr === "undefined") {
        return; // search is off
    }
    const cjk = /[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/;
    const occurrences = function (text, word) {
        let count = 0;
        for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + word.length)) {
            count += 1;
        }
        return count;
    };
    const elasticlunrSearch = elasticlunr.Index.prototype.search;
    elasticlunr.Index.prototype.search = function (query, options) {
        if (!cjk.test(query)) {
            return elasticlunrSearch.call(this, query, options);
        }
        const words = query.toLowerCase().split(/\s+/).filter(Boolean);
        const docs = this.documentStore.docs;
        const results = [];
        Object.keys(docs).forEach(function (ref) {
            const doc = docs[ref];
            const fields = [doc.title, doc.body, doc.breadcrumbs].map(function (field) {
                return (field || "").toLowerCase();
            });
            let score = 0;
            for (const word of words) {
                const found = 2 * occurrences(fields[0], word)
                    + occurrences(fields[1], word) + occurrences(fields[2], word);
                if (found === 0) {
                    return;
                }
                score += found;
            }
            results.push({ ref: ref, score: score, doc: doc });
        });
        return results.sort(function (a, b) { return b.score - a.score; });
    };
})();
