// Names for codes, from the project's own tables bundled into the page (build.mjs): analysts
// read "Kenya government", not KENGOV.

import { COUNTRY_NAMES, SECTOR_LABELS } from "eventwire:tables";

/** The English short name of an ISO3 country code; the code itself when the table lacks it. */
export function countryName(iso3) {
  if (!iso3) return "";
  return COUNTRY_NAMES[iso3] || iso3;
}

/** An actor's name: the one the API gives, else one read from its CAMEO code (country + sector). */
export function actorName(name, code, country, agent) {
  if (name) return name;
  if (!code) return "";
  const place = COUNTRY_NAMES[code.slice(0, 3)] || (country && COUNTRY_NAMES[country]);
  const sector = SECTOR_LABELS[code.length >= 6 ? code.slice(3, 6) : agent || ""];
  if (place && sector) return `${place} ${sector}`;
  if (place && code.length === 3) return place;
  return code;
}
