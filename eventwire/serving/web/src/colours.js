// Colours for quad classes and PLOVER types, chosen to stay apart for common colour blindness.

export const QUAD_NAMES = {
  1: "Verbal cooperation",
  2: "Material cooperation",
  3: "Verbal conflict",
  4: "Material conflict",
};

export const QUAD_COLOURS = { 1: "#1b9e77", 2: "#2c7fb8", 3: "#e6a117", 4: "#d7301f" };

// PLOVER event types, cooperative to conflictual.
export const PLOVER_TYPES = [
  "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
  "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
];

const PALETTE = [
  "#1b9e77", "#66a61e", "#2c7fb8", "#7fc97f", "#386cb0", "#41b6c4", "#a6cee3", "#8da0cb",
  "#e7298a", "#b15928", "#e6a117", "#984ea3", "#fb9a99", "#ff7f00", "#e31a1c", "#7f0000",
];

export const PLOVER_COLOURS = Object.fromEntries(PLOVER_TYPES.map((t, i) => [t, PALETTE[i]]));

export const UNKNOWN_COLOUR = "#777777";

/** The key an event is coloured by: its quad class or its PLOVER type. */
export function colourKey(event, by) {
  return by === "plover" ? event.plover || "?" : String(event.quad || "?");
}

export function colourOf(key, by) {
  if (by === "plover") return PLOVER_COLOURS[key] || UNKNOWN_COLOUR;
  return QUAD_COLOURS[key] || UNKNOWN_COLOUR;
}

export function legendEntries(by) {
  if (by === "plover") return PLOVER_TYPES.map((t) => [t, t, PLOVER_COLOURS[t]]);
  return Object.entries(QUAD_NAMES).map(([q, name]) => [q, `${q} ${name}`, QUAD_COLOURS[q]]);
}
