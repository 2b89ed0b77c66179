import type { ErrorCode } from '../../../../core/errors.ts';
import { m } from '#lib/paraglide/messages.js';
import { getLocale } from '#lib/paraglide/runtime.js';
import { ApiError, NETWORK_ERROR } from '#lib/api/client.js';
import { moneyText, stageLabel } from '#lib/i18n/labels.js';

type Details = Record<string, unknown>;
type Translate = (details: Details) => string;

const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

/** The first existing lead a duplicate error names, for its message. */
function firstMatch(details: Details) {
  const [match] = Array.isArray(details.matches) ? (details.matches as Details[]) : [];
  return { company: str(match?.company), owner: str(match?.ownerName) || m.lead_in_pool() };
}

/** Every code the server's catalogue can answer, translated (the type keeps it complete). */
const catalogue: Record<ErrorCode, Translate> = {
  'request.invalid': () => m.err_request_invalid(),
  'request.malformed_json': () => m.err_request_malformed_json(),
  'request.too_large': () => m.err_request_too_large(),
  'request.not_found': () => m.err_request_not_found(),
  'auth.unauthenticated': () => m.err_auth_unauthenticated(),
  'auth.forbidden': () => m.err_auth_forbidden(),
  'setup.already_done': () => m.err_setup_already_done(),
  'lead.not_found': () => m.err_lead_not_found(),
  'lead.not_visible': () => m.err_lead_not_visible(),
  'lead.merge_self': () => m.err_lead_merge_self(),
  'collision.not_found': () => m.err_collision_not_found(),
  'collision.lead_in_pool': () => m.err_collision_lead_in_pool(),
  'collision.own_lead': () => m.err_collision_own_lead(),
  'collision.already_open': () => m.err_collision_already_open(),
  'collision.already_decided': () => m.err_collision_already_decided(),
  'lead.duplicate': (d) => m.err_lead_duplicate(firstMatch(d)),
  'lead.possible_duplicate': (d) => m.err_lead_possible_duplicate(firstMatch(d)),
  'pool.already_claimed': (d) =>
    str(d.ownerName) ? m.err_pool_already_claimed({ ownerName: str(d.ownerName) }) : m.err_pool_already_claimed_anon(),
  'pool.limit_reached': (d) => m.err_pool_limit_reached({ limit: str(d.limit) }),
  'pool.not_owner': () => m.err_pool_not_owner(),
  'pool.not_claimed': () => m.err_pool_not_claimed(),
  'pool.daily_limit_reached': (d) => m.err_pool_daily_limit_reached({ limit: str(d.limit) }),
  'pool.cooldown': (d) => m.err_pool_cooldown({ until: typeof d.until === 'string' ? new Date(d.until).toLocaleString(getLocale()) : '' }),
  'pool.protected': (d) => m.err_pool_protected({ hours: str(d.hours) }),
  'follow_up.lead_in_pool': () => m.err_follow_up_lead_in_pool(),
  'stage.lead_in_pool': () => m.err_stage_lead_in_pool(),
  'task.lead_in_pool': () => m.err_task_lead_in_pool(),
  'call.lead_in_pool': () => m.err_call_lead_in_pool(),
  'call.in_progress': (d) => m.err_call_in_progress({ by: str(d.by) }),
  'call.not_found': () => m.err_call_not_found(),
  'call.not_yours': () => m.err_call_not_yours(),
  'call.ended': () => m.err_call_ended(),
  'recording.empty': () => m.err_recording_empty(),
  'recording.unsupported_type': () => m.err_recording_unsupported_type(),
  'recording.too_large': (d) => m.err_recording_too_large({ max: typeof d.maxBytes === 'number' ? String(Math.floor(d.maxBytes / 1024 / 1024)) : '50' }),
  'recording.not_found': () => m.err_recording_not_found(),
  'recording.already_attached': () => m.err_recording_already_attached(),
  'recording.call_open': () => m.err_recording_call_open(),
  'telephony.not_placed': (d) =>
    d.reason === 'timeout' ? m.err_telephony_not_placed_timeout() : d.reason === 'unreachable' ? m.err_telephony_not_placed_unreachable() : m.err_telephony_not_placed_refused(),
  'telephony.no_number': () => m.err_telephony_no_number(),
  'telephony.bad_signature': () => m.err_telephony_bad_signature(),
  'telephony.signature_expired': () => m.err_telephony_signature_expired(),
  'telephony.unknown_call': () => m.err_telephony_unknown_call(),
  'telephony.call_mismatch': () => m.err_telephony_call_mismatch(),
  'telephony.recording_unavailable': () => m.err_telephony_recording_unavailable(),
  'task.not_found': () => m.err_task_not_found(),
  'task.not_yours': () => m.err_task_not_yours(),
  'notes.not_visible': () => m.err_notes_not_visible(),
  'notes.read_only': () => m.err_notes_read_only(),
  'notes.too_large': () => m.err_notes_too_large(),
  'notes.closed': () => m.err_notes_closed(),
  'pools.not_found': () => m.err_pools_not_found(),
  'webhooks.not_found': () => m.err_webhooks_not_found(),
  'pools.name_taken': () => m.err_pools_name_taken(),
  'pools.not_empty': (d) => m.err_pools_not_empty({ leads: str(d.leads) }),
  'stage.approval_required': (d) => m.err_stage_approval_required({ threshold: moneyText(Number(d.threshold)), stage: stageLabel(str(d.stage)) }),
  'approval.not_found': () => m.err_approval_not_found(),
  'approval.not_needed': () => m.err_approval_not_needed(),
  'approval.pending': () => m.err_approval_pending(),
  'approval.decided': () => m.err_approval_decided(),
  'approval.not_approver': () => m.err_approval_not_approver(),
  'deal.contract_taken': (d) => m.err_deal_contract_taken({ contractNo: str(d.contractNo) }),
  'deal.not_found': () => m.err_deal_not_found(),
  'deal.lead_in_pool': () => m.err_deal_lead_in_pool(),
  'pipeline.stage_in_use': (d) => m.err_pipeline_stage_in_use({ stage: stageLabel(str(d.stage)) }),
  'pools.in_use': (d) => m.err_pools_in_use({ rules: Array.isArray(d.rules) ? d.rules.join('、') : '' }),
  'pools.company_pool': () => m.err_pools_company_pool(),
  'events.expired': () => m.err_events_expired(),
  'user.not_found': () => m.err_user_not_found(),
  'user.email_taken': () => m.err_user_email_taken(),
  'user.cannot_deactivate_self': () => m.err_user_cannot_deactivate_self(),
  'team.not_found': () => m.err_team_not_found(),
  'team.name_taken': () => m.err_team_name_taken(),
  'exhibition.not_found': () => m.err_exhibition_not_found(),
  'lead.not_editable': () => m.err_lead_not_editable(),
  'tags.group_not_found': () => m.err_tags_group_not_found(),
  'tags.group_name_taken': () => m.err_tags_group_name_taken(),
  'tags.group_not_empty': () => m.err_tags_group_not_empty(),
  'tags.not_found': () => m.err_tags_not_found(),
  'tags.name_taken': () => m.err_tags_name_taken(),
  'tags.in_use': (d) => m.err_tags_in_use({ count: str(d.leadCount) }),
  'custom_fields.not_found': () => m.err_custom_fields_not_found(),
  'custom_fields.key_taken': () => m.err_custom_fields_key_taken(),
  'custom_fields.option_in_use': (d) => {
    const [first] = Array.isArray(d.options) ? (d.options as Details[]) : [];
    return m.err_custom_fields_option_in_use({ option: str(first?.option), count: str(first?.leadCount) });
  },
  'api_key.invalid': () => m.err_api_key_invalid(),
  'api_key.revoked': () => m.err_api_key_revoked(),
  'api_key.not_found': () => m.err_api_key_not_found(),
  'intake.idempotency_key_reused': () => m.err_intake_idempotency_key_reused(),
  'intake.request_in_progress': () => m.err_intake_request_in_progress(),
  'booth.not_found': () => m.err_booth_not_found(),
  'booth.rate_limited': () => m.err_booth_rate_limited(),
  'wall.not_found': () => m.err_wall_not_found(),
  'wall.unauthenticated': () => m.err_wall_unauthenticated(),
  'wall.revoked': () => m.err_wall_revoked(),
  'wall.pairing_invalid': () => m.err_wall_pairing_invalid(),
  'wall.rate_limited': () => m.err_wall_rate_limited(),
  'import.not_found': () => m.err_import_not_found(),
  'import.empty_file': () => m.err_import_empty_file(),
  'import.unsupported_file': () => m.err_import_unsupported_file(),
  'import.unreadable_file': () => m.err_import_unreadable_file(),
  'import.too_many_columns': (d) => m.err_import_too_many_columns({ max: str(d.max) }),
  'import.too_many_rows': (d) => m.err_import_too_many_rows({ max: str(d.max) }),
  'import.file_too_large': () => m.err_import_file_too_large(),
  'import.no_file': () => m.err_import_no_file(),
  'import.already_started': () => m.err_import_already_started(),
  'import.interrupted': () => m.err_import_interrupted(),
  'server.internal': () => m.err_server_internal(),
};

/** Codes from outside the catalogue: better-auth's (reshaped to `auth.*`) and the network. */
const extra: Record<string, Translate> = {
  'auth.invalid_email_or_password': () => m.err_auth_invalid_email_or_password(),
  'auth.failed': () => m.err_auth_failed(),
  [NETWORK_ERROR]: () => m.err_network(),
};

/** The user's-language text for an error code; falls back to the server's message. */
export function errorText(code: string, details: Details = {}, fallback?: string): string {
  const translate = (catalogue as Record<string, Translate>)[code] ?? extra[code];
  if (translate) return translate(details);
  if (code.startsWith('auth.')) return fallback ?? m.err_auth_failed();
  return fallback ?? m.err_server_internal();
}

/** Text for any thrown value. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) return errorText(err.code, err.details, err.message);
  return m.err_server_internal();
}

const fieldCodes: Record<string, () => string> = {
  required: () => m.fe_required(),
  invalid_mobile: () => m.fe_invalid_mobile(),
  invalid_phone: () => m.fe_invalid_phone(),
  invalid_email: () => m.fe_invalid_email(),
  unknown_field: () => m.fe_unknown_field(),
  too_big: () => m.fe_too_big(),
  too_small: () => m.fe_too_small(),
  too_many: () => m.fe_too_many(),
  password_too_short: () => m.fe_password_too_short(),
  unknown_team: () => m.fe_unknown_team(),
  unknown_exhibition: () => m.fe_unknown_exhibition(),
  unknown_pool: () => m.fe_unknown_pool(),
  required_for_stage: () => m.fe_required_for_stage(),
  sum_mismatch: () => m.fe_sum_mismatch(),
  unknown_stage: () => m.fe_unknown_stage(),
  order: () => m.fe_order(),
  duplicate: () => m.fe_duplicate(),
  not_approver: () => m.fe_not_approver(),
  none_active: () => m.fe_none_active(),
  not_assignable: () => m.fe_not_assignable(),
  unknown_time_zone: () => m.fe_unknown_time_zone(),
  invalid_date: () => m.fe_invalid_date(),
  ends_before_start: () => m.fe_ends_before_start(),
  unknown_option: () => m.fe_unknown_option(),
  invalid_number: () => m.fe_invalid_number(),
  unknown_tag: () => m.fe_unknown_tag(),
  options_required: () => m.fe_options_required(),
  duplicate_option: () => m.fe_duplicate_option(),
  invalid_key: () => m.fe_invalid_key(),
  invalid_filter: () => m.fe_invalid_filter(),
  unknown_tag_group: () => m.fe_unknown_tag_group(),
  formula_without_value: () => m.import_fe_formula_without_value(),
  cell_error: () => m.import_fe_cell_error(),
  unknown_source: () => m.import_fe_unknown_source(),
  company_not_mapped: () => m.import_fe_company_not_mapped(),
  field_mapped_twice: () => m.import_fe_field_mapped_twice(),
};

/** A field error code (`required`, `invalid_mobile`, …) in the user's language. */
export function fieldErrorText(code: string): string {
  return (fieldCodes[code] ?? (() => m.fe_invalid()))();
}
