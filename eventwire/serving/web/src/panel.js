// The event panel: what happened, who did it to whom, when, where, and the sentences that say so,
// with the source, target, trigger and place marked; every other report of the same event; the articles.

import { loadArticle } from "./api.js";
import { QUAD_NAMES } from "./colours.js";
import { append, clear, h, highlight, isWebUrl } from "./dom.js";

function pick(obj, ...keys) {
  for (const key of keys) {
    const value = key.split(".").reduce((o, k) => (o && o[k] !== undefined ? o[k] : undefined), obj);
    if (value !== undefined && value !== null && value !== "") return value;
  }
  return null;
}

/** One telling of the event as the panel needs it, whatever the API's nesting. */
export function toMention(m) {
  const record = typeof m.record === "string" ? safeParse(m.record) : m.record || {};
  return {
    id: pick(m, "mention_id", "event_id"),
    docId: pick(m, "doc_id", "article.doc_id") || pick(record, "doc_id"),
    sentence: pick(m, "sentence", "evidence.sentence") || pick(record, "evidence.sentence") || "",
    trigger: pick(m, "trigger", "evidence.trigger") || pick(record, "evidence.trigger"),
    sourceText: pick(m, "source_text", "source.text") || pick(record, "source.text"),
    targetText: pick(m, "target_text", "target.text") || pick(record, "target.text"),
    placeText: pick(m, "place_text", "place_name", "location.name") || pick(record, "location.name"),
    confidence: pick(m, "confidence"),
    date: pick(m, "date"),
    title: pick(m, "title", "article_title", "article.title"),
    published: pick(m, "published", "article.published"),
    outlet: pick(m, "outlet", "article_source", "article.source"),
    url: pick(m, "url", "article_url", "article.url"),
  };
}

function safeParse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

function actorLine(name, code, country) {
  const bits = [name || code || "unknown"];
  const extra = [code && code !== name ? code : null, country].filter(Boolean);
  if (extra.length) bits.push(h("span", { class: "muted" }, ` (${extra.join(", ")})`));
  return bits;
}

export function renderEvent(container, event, detail, { onArticle, onZoom }) {
  clear(container);
  const d = detail || {};
  const mentions = (d.mentions || []).map(toMention);
  const quad = d.quad_class ?? event.quad;
  const plover = d.plover || event.plover;
  const mode = d.plover_mode || event.mode;
  const cameo = d.cameo || event.cameo;
  const header = h(
    "header",
    { class: "event-head" },
    h("h2", { id: "event-title", tabindex: "-1" }, `${plover || "Event"}${mode ? ` (${mode})` : ""}`, h("span", { class: "muted" }, cameo ? ` · CAMEO ${cameo}` : "")),
    h(
      "p",
      { class: "quad" },
      h("span", { class: `swatch quad-${quad}`, "aria-hidden": "true" }),
      quad ? `${quad} ${QUAD_NAMES[quad] || ""}` : "quad class unknown",
      d.goldstein ?? event.goldstein ?? null ? ` · Goldstein ${d.goldstein ?? event.goldstein}` : "",
    ),
  );
  const facts = h(
    "dl",
    { class: "facts" },
    h("dt", {}, "Who"),
    h("dd", { class: "who" }, h("mark", { class: "hl hl-source" }, actorLine(d.source_name || event.source, d.source_code || event.sourceCode, d.source_country || event.sourceCountry))),
    h("dt", {}, "To whom"),
    h("dd", { class: "whom" }, event.target || d.target_name ? h("mark", { class: "hl hl-target" }, actorLine(d.target_name || event.target, d.target_code || event.targetCode, d.target_country || event.targetCountry)) : "no named target"),
    h("dt", {}, "When"),
    h("dd", {}, `${d.date || event.date || "undated"}${(d.date_precision || event.precision) ? ` (to the ${d.date_precision || event.precision})` : ""}`),
    h("dt", {}, "Where"),
    h(
      "dd",
      {},
      h("mark", { class: "hl hl-place" }, d.place_name || event.place || "unplaced"),
      [d.admin1 || event.admin1, d.place_country || event.country].filter(Boolean).length
        ? ` · ${[d.admin1 || event.admin1, d.place_country || event.country].filter(Boolean).join(", ")}`
        : "",
      event.lat !== null ? h("span", { class: "muted" }, ` · ${event.lat.toFixed(2)}, ${event.lon.toFixed(2)}`) : "",
      " ",
      event.lat !== null ? h("button", { type: "button", class: "link-button", onclick: onZoom }, "show on map") : "",
    ),
    h("dt", {}, "Reports"),
    h("dd", {}, `${d.n_mentions ?? event.mentions} mention(s) in ${d.n_articles ?? event.articles} article(s) from ${d.n_sources ?? event.sources} independent source(s)`),
  );
  const legend = h(
    "p",
    { class: "legend-inline" },
    h("mark", { class: "hl hl-source" }, "source"),
    " ",
    h("mark", { class: "hl hl-target" }, "target"),
    " ",
    h("mark", { class: "hl hl-trigger" }, "trigger"),
    " ",
    h("mark", { class: "hl hl-place" }, "place"),
  );
  const list = mentions.length ? mentions : [{ sentence: event.sentence, sourceText: event.source, targetText: event.target, placeText: event.place }];
  const reports = h(
    "ol",
    { class: "mentions" },
    list.map((m, i) =>
      h(
        "li",
        { class: "mention" },
        h(
          "blockquote",
          { class: "evidence", dataset: { mention: String(i) } },
          highlight(m.sentence || "", [
            { text: m.sourceText, kind: "source" },
            { text: m.targetText, kind: "target" },
            { text: m.trigger, kind: "trigger" },
            { text: m.placeText, kind: "place" },
          ]),
        ),
        articleLine(m, onArticle),
      ),
    ),
  );
  append(container, [
    header,
    facts,
    h("h3", {}, list.length > 1 ? `${list.length} reports of this event` : "The report"),
    legend,
    reports,
  ]);
  const title = container.querySelector("#event-title");
  if (title) title.focus({ preventScroll: true });
}

function articleLine(m, onArticle) {
  if (!m.docId) return null;
  return h(
    "p",
    { class: "article-line" },
    h("button", { type: "button", class: "link-button", onclick: () => onArticle(m.docId, m.sentence) }, m.title || m.docId),
    m.outlet ? ` · ${m.outlet}` : "",
    m.published ? ` · ${m.published}` : "",
    m.confidence !== null && m.confidence !== undefined ? h("span", { class: "muted" }, ` · confidence ${Number(m.confidence).toFixed(2)}`) : "",
    isWebUrl(m.url) ? [" · ", h("a", { href: m.url, rel: "noopener noreferrer nofollow", target: "_blank" }, "original ↗")] : "",
  );
}

/** One article: its metadata, a link to the original, and every event sentence coded in it. */
export async function renderArticle(container, docId, sentence, { onBack, onSelectEvent }) {
  clear(container);
  container.append(h("p", { class: "note" }, "Loading the article…"));
  let data;
  try {
    data = await loadArticle(docId);
  } catch (err) {
    clear(container);
    container.append(h("button", { type: "button", class: "link-button back", onclick: onBack }, "← back to the event"));
    container.append(h("p", { class: "error" }, `Could not load the article: ${err.message}`));
    return;
  }
  const a = data.article || data;
  const mentions = (data.mentions || []).map((m) => ({ ...toMention(m), eventId: m.event_id, plover: m.plover, cameo: m.cameo }));
  const body = h(
    "ol",
    { class: "article-mentions" },
    mentions.map((m) =>
      h(
        "li",
        { class: m.sentence === sentence ? "current" : "" },
        h("blockquote", { class: "evidence" }, highlight(m.sentence || "", [
          { text: m.sourceText, kind: "source" },
          { text: m.targetText, kind: "target" },
          { text: m.trigger, kind: "trigger" },
          { text: m.placeText, kind: "place" },
        ])),
        h("p", { class: "article-line" },
          h("button", { type: "button", class: "link-button", onclick: () => onSelectEvent(String(m.eventId)) }, `${m.plover || m.cameo || "event"} · ${m.date || "undated"}`)),
      ),
    ),
  );
  clear(container);
  append(container, [
    h("button", { type: "button", class: "link-button back", onclick: onBack }, "← back to the event"),
    h("h2", { tabindex: "-1", id: "article-title" }, a.title || docId),
    h(
      "p",
      { class: "muted" },
      [a.source, a.published, a.doc_id].filter(Boolean).join(" · "),
      isWebUrl(a.url) ? [" · ", h("a", { href: a.url, rel: "noopener noreferrer nofollow", target: "_blank" }, "original ↗")] : "",
    ),
    h("h3", {}, `${mentions.length} event sentence(s) coded in this article`),
    body,
  ]);
  container.querySelector("#article-title").focus({ preventScroll: true });
}
