// Colours from the Okabe–Ito palette (Okabe & Ito, "Color Universal Design", 2008): eight hues
// that stay apart for the common forms of colour blindness. At most eight keys are ever coloured
// at once, so every colour on the map has its own line in the legend.

export const QUAD_NAMES = {
  1: "Verbal cooperation",
  2: "Material cooperation",
  3: "Verbal conflict",
  4: "Material conflict",
};

const OKABE_ITO = {
  orange: "#E69F00",
  sky: "#56B4E9",
  green: "#009E73",
  yellow: "#F0E442",
  blue: "#0072B2",
  vermillion: "#D55E00",
  purple: "#CC79A7",
  black: "#000000",
};

export const QUAD_COLOURS = { 1: OKABE_ITO.sky, 2: OKABE_ITO.blue, 3: OKABE_ITO.orange, 4: OKABE_ITO.vermillion };

// PLOVER event types, cooperative to conflictual.
export const PLOVER_TYPES = [
  "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
  "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
];

// Sixteen types cannot have sixteen colours one can tell apart: they are coloured in seven
// groups of neighbouring types (PLOVER's own order, cooperative to conflictual).
export const TYPE_GROUPS = [
  { key: "talk", label: "Agree, consult", types: ["AGREE", "CONSULT"], colour: OKABE_ITO.sky },
  { key: "help", label: "Support, cooperate, aid", types: ["SUPPORT", "COOPERATE", "AID"], colour: OKABE_ITO.blue },
  { key: "yield", label: "Concede, retreat", types: ["CONCEDE", "RETREAT"], colour: OKABE_ITO.green },
  { key: "demand", label: "Request, accuse, reject", types: ["REQUEST", "ACCUSE", "REJECT"], colour: OKABE_ITO.purple },
  { key: "press", label: "Threaten, sanction, mobilize", types: ["THREATEN", "SANCTION", "MOBILIZE"], colour: OKABE_ITO.orange },
  { key: "protest", label: "Protest", types: ["PROTEST"], colour: OKABE_ITO.yellow },
  { key: "force", label: "Coerce, assault", types: ["COERCE", "ASSAULT"], colour: OKABE_ITO.vermillion },
];

const GROUP_OF = Object.fromEntries(TYPE_GROUPS.flatMap((g) => g.types.map((t) => [t, g])));
const GROUP_BY_KEY = Object.fromEntries(TYPE_GROUPS.map((g) => [g.key, g]));

export const UNKNOWN_COLOUR = "#8C8C8C";

/** The key an event is coloured by: its quad class or the group of its PLOVER type. */
export function colourKey(event, by) {
  if (by === "group") return (GROUP_OF[event.plover] || { key: "?" }).key;
  return String(event.quad || "?");
}

export function colourOf(key, by) {
  if (by === "group") return (GROUP_BY_KEY[key] || { colour: UNKNOWN_COLOUR }).colour;
  return QUAD_COLOURS[key] || UNKNOWN_COLOUR;
}

/** [key, label, colour] for each line of the legend, the unknown key last. */
export function legendEntries(by) {
  const known = by === "group"
    ? TYPE_GROUPS.map((g) => [g.key, g.label, g.colour])
    : Object.entries(QUAD_NAMES).map(([q, name]) => [q, `${q} ${name}`, QUAD_COLOURS[q]]);
  return [...known, ["?", by === "group" ? "Type not coded" : "Quad class not coded", UNKNOWN_COLOUR]];
}
