/**
 * Chinese numbers as people write them: +8613800138000 → 138 0013 8000, landlines with their
 * trunk 0 (+862188888888 → 02188888888); masked ones (138****8000) stay as they are.
 */
export function formatPhone(value: string | null): string {
  if (!value) return '—';
  const cn = /^\+86(1\d{2})(\d{4})(\d{4})$/.exec(value);
  if (cn) return `${cn[1]} ${cn[2]} ${cn[3]}`;
  return value.startsWith('+86') ? `0${value.slice(3)}` : value;
}
