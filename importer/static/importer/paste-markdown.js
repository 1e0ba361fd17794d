/*
 * Paste as Markdown: rich text pasted into a textarea marked data-paste-markdown (from Word,
 * Google Docs or a web page) is converted to Markdown with Turndown instead of arriving as one
 * flattened blob. Plain-text pastes are left alone. Without JavaScript the textarea is an
 * ordinary one, and the article list's Import page converts documents on the server.
 */
(function () {
  "use strict";

  // Pasted style="" attributes are renamed before the HTML is parsed (the site's
  // Content-Security-Policy forbids inline styles, and parsing them would be a violation), then
  // read as text.
  var STYLE_ATTRIBUTE = /\sstyle\s*=\s*("[^"]*"|'[^']*')/gi;

  function styleOf(node, property) {
    var declarations = (node.getAttribute && node.getAttribute("data-paste-style")) || "";
    var found = declarations.split(";").map(function (declaration) {
      var pair = declaration.split(":");
      return pair.length === 2 && pair[0].trim().toLowerCase() === property ?
        pair[1].trim().toLowerCase() : null;
    }).filter(function (value) { return value !== null; });
    return found.length ? found[found.length - 1] : "";
  }

  function isBold(node) {
    var weight = styleOf(node, "font-weight");
    return weight === "bold" || parseInt(weight, 10) >= 600;
  }

  function isItalic(node) {
    return styleOf(node, "font-style") === "italic";
  }

  function converter() {
    var service = new window.TurndownService({
      headingStyle: "atx",
      bulletListMarker: "-",
      codeBlockStyle: "fenced",
      emDelimiter: "*",
      strongDelimiter: "**",
    });
    service.remove(["script", "style", "meta", "link", "title", "img", "iframe", "object"]);
    // Google Docs wraps a whole paste in <b style="font-weight:normal">: not bold at all.
    service.addRule("notReallyBold", {
      filter: function (node) {
        return node.nodeName === "B" && styleOf(node, "font-weight") === "normal";
      },
      replacement: function (content) { return content; },
    });
    // Google Docs marks bold and italic on spans rather than <b> and <i>.
    service.addRule("styledSpans", {
      filter: function (node) {
        return node.nodeName === "SPAN" && node.textContent.trim() !== "" &&
          (isBold(node) || isItalic(node));
      },
      replacement: function (content, node) {
        var marker = isBold(node) ? "**" : "*";
        if (isBold(node) && isItalic(node)) marker = "***";
        var lead = content.match(/^\s*/)[0], trail = content.match(/\s*$/)[0];
        return lead + marker + content.trim() + marker + trail;
      },
    });
    // A paragraph that is a list item's only content (Google Docs writes these) keeps the
    // list tight.
    service.addRule("paragraphInListItem", {
      filter: function (node) {
        return node.nodeName === "P" && node.parentNode && node.parentNode.nodeName === "LI" &&
          node.parentNode.children.length === 1;
      },
      replacement: function (content) { return content; },
    });
    // Word's list paragraphs carry their bullet or number as text in a mso-list:Ignore span.
    service.addRule("wordListParagraph", {
      filter: function (node) {
        return node.nodeName === "P" && /MsoListParagraph/.test(node.className || "");
      },
      replacement: function (content, node) {
        var marker = /^\s*\(?\d+[.)]/.test(node.textContent) ? "1. " : "- ";
        var text = content.replace(/^\s*(?:[·•o§▪\-–]|\(?\d+[.)])\s*/, "").trim();
        return "\n" + marker + text + "\n";
      },
    });
    // Word's conditional comments and <o:p> leftovers.
    service.addRule("wordLeftovers", {
      filter: function (node) { return /^O:/i.test(node.nodeName); },
      replacement: function () { return ""; },
    });
    return service;
  }

  function insert(textarea, text) {
    textarea.focus();
    // execCommand keeps the browser's undo history; setRangeText is the fallback.
    var done = false;
    try {
      done = document.execCommand("insertText", false, text);
    } catch (error) {
      done = false;
    }
    if (!done) {
      textarea.setRangeText(text, textarea.selectionStart, textarea.selectionEnd, "end");
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  function onPaste(event) {
    var data = event.clipboardData;
    var html = data && data.getData("text/html");
    if (!html || typeof window.TurndownService !== "function") return;
    var markdown;
    try {
      markdown = converter().turndown(html.replace(STYLE_ATTRIBUTE, " data-paste-style=$1"))
        .replace(/^(\s*)([-*]|\d+\.) {2,}/gm, "$1$2 ") // "-   item" as people type it: "- item"
        .replace(/\n{3,}/g, "\n\n")
        .trim();
    } catch (error) {
      return; // the browser's own plain-text paste is better than nothing
    }
    if (!markdown) return;
    event.preventDefault();
    insert(event.target, markdown);
  }

  function enhance() {
    document.querySelectorAll("textarea[data-paste-markdown]").forEach(function (textarea) {
      textarea.addEventListener("paste", onPaste);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();
