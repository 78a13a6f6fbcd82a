/**
 * A user's cursor color: derived from the user id alone, so it is the same on every gateway,
 * in every tab and after every reconnect, without being stored anywhere.
 */

/** FNV-1a: a fast, well-spread 32-bit hash; nothing here needs to resist an adversary. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A `#rrggbb` color, saturated and dark enough to read on white.
 *
 * @example
 * colorOf('ada'); // the same string every time
 */
export function colorOf(user: string): string {
  const h = hash(user);
  const hue = h % 360;
  const lightness = 0.4 + ((h >>> 9) % 10) / 100;
  return hslToHex(hue, 0.7, lightness);
}

function hslToHex(hue: number, saturation: number, lightness: number): string {
  const a = saturation * Math.min(lightness, 1 - lightness);
  const channel = (n: number) => {
    const k = (n + hue / 30) % 12;
    const value = lightness - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(value * 255)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${channel(0)}${channel(8)}${channel(4)}`;
}
