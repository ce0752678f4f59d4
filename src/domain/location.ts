/**
 * A point on Earth as it reaches us from a client (a Bot Framework GeoCoordinates entity, a Zalo
 * location with strings): validated once, so a distance is never computed from "abc" (security audit
 * 3.13: the bot answered "khoảng NaN km"). Pure.
 */
export interface Coordinates {
  lat: number;
  lon: number;
}

const DECIMAL = /^\s*-?\d{1,3}(\.\d+)?\s*$/;

function degrees(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  // Numbers sent as text ("21.0285"), never what Number() also accepts: "", " ", "0x10", "1e2".
  if (typeof value === 'string' && DECIMAL.test(value)) return Number(value);
  return null;
}

/** The point, or null when either value is not a finite number of degrees within range. */
export function coordinates(latitude: unknown, longitude: unknown): Coordinates | null {
  const lat = degrees(latitude);
  const lon = degrees(longitude);
  if (lat === null || lon === null || Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  return { lat, lon };
}
