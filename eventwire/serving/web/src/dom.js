// Building DOM nodes without ever parsing markup: article text, titles and names
// come from untrusted news, so every string becomes a text node, never HTML.

const SAFE_URL = /^https?:\/\//i;

/** Create an element; strings and numbers among the children become text nodes. */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") {
      node.addEventListener(key.slice(2), value);
    } else if (key === "href") {
      const href = String(value);
      // only web links and our own paths: never javascript:, data: or the like
      if (SAFE_URL.test(href) || href.startsWith("/") || href.startsWith("#")) {
        node.setAttribute("href", href);
      }
    } else node.setAttribute(key, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

/** True when a URL is one a link may point to (http or https). */
export function isWebUrl(url) {
  return typeof url === "string" && SAFE_URL.test(url);
}

export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/**
 * Split a sentence into plain and marked pieces for the spans it names.
 * marks: [{text, kind}] located case-insensitively; overlaps keep the first found.
 */
export function highlight(sentence, marks) {
  const spans = [];
  const lower = sentence.toLowerCase();
  const expanded = [];
  for (const mark of marks) {
    if (!mark.text) continue;
    const words = mark.text.split(/\s+/).filter(Boolean);
    if (mark.kind === "trigger" && words.length > 1 && !lower.includes(mark.text.toLowerCase())) {
      // a lemmatised phrase ("defend forces" for "defend our forces"): mark each word
      for (const word of words) expanded.push({ text: word, kind: mark.kind });
    } else expanded.push(mark);
  }
  for (const mark of expanded) {
    let { text } = mark;
    const { kind, start } = mark;
    if (kind === "trigger" && !lower.includes(text.toLowerCase())) {
      // a lemma ("recapture") for an inflected word ("recaptured"): the word that starts alike
      const stem = text.toLowerCase().slice(0, Math.max(3, text.length - 2));
      const found = new RegExp(`\\b${stem.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\w*`, "i").exec(sentence);
      if (!found) continue;
      text = found[0];
    }
    let at = -1;
    if (Number.isInteger(start) && sentence.slice(start, start + text.length) === text) at = start;
    else {
      const needle = text.toLowerCase();
      let from = 0;
      while ((at = lower.indexOf(needle, from)) !== -1) {
        const clear = !spans.some((s) => at < s.end && at + needle.length > s.start);
        const edges = !/\w/.test(sentence[at - 1] || "") && !/\w/.test(sentence[at + needle.length] || "");
        if (clear && edges) break;
        from = at + 1;
      }
    }
    if (at < 0) continue;
    const end = at + text.length;
    if (spans.some((s) => at < s.end && end > s.start)) continue;
    spans.push({ start: at, end, kind });
  }
  spans.sort((a, b) => a.start - b.start);
  const out = [];
  let pos = 0;
  for (const span of spans) {
    if (span.start > pos) out.push(sentence.slice(pos, span.start));
    out.push(h("mark", { class: `hl hl-${span.kind}`, title: span.kind }, sentence.slice(span.start, span.end)));
    pos = span.end;
  }
  if (pos < sentence.length) out.push(sentence.slice(pos));
  return out;
}
