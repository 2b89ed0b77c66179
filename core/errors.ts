/**
 * Every error a caller can see, by stable code. The HTTP layer answers
 * `{ error: { code, message, details? } }` with the status given here; the web
 * shows its own translation of the code and falls back to `message`.
 */
export const errorCatalogue = {
  'request.invalid': { status: 422, message: 'Some fields are invalid.' },
  'request.malformed_json': { status: 400, message: 'The request body is not valid JSON.' },
  'request.too_large': { status: 413, message: 'The request body is too large.' },
  'request.not_found': { status: 404, message: 'No such endpoint.' },
  'auth.unauthenticated': { status: 401, message: 'Please sign in.' },
  'auth.forbidden': { status: 403, message: 'Your role may not do this.' },
  'setup.already_done': { status: 409, message: 'Leadpool already has users; sign in instead.' },
  'lead.not_found': { status: 404, message: 'No such lead.' },
  'lead.duplicate': { status: 409, message: 'A lead with this phone or email already exists.' },
  'lead.possible_duplicate': { status: 409, message: 'A lead with a similar company name exists; say why this one is different.' },
  'lead.merge_self': { status: 409, message: 'A lead cannot be merged into itself.' },
  'collision.not_found': { status: 404, message: 'No such collision request.' },
  'collision.lead_in_pool': { status: 409, message: 'This lead is in the pool: claim it instead.' },
  'collision.own_lead': { status: 409, message: 'This lead is already yours.' },
  'collision.already_open': { status: 409, message: 'You already have an open collision request on this lead.' },
  'collision.already_decided': { status: 409, message: 'This collision request has already been decided.' },
  'lead.not_visible': { status: 403, message: 'This lead belongs to someone outside your scope.' },
  'pool.already_claimed': { status: 409, message: 'Someone else claimed this lead first.' },
  'pool.limit_reached': { status: 409, message: 'You hold as many leads as allowed; release one first.' },
  'pool.not_owner': { status: 403, message: 'Only the owner or a manager can release this lead.' },
  'pool.not_claimed': { status: 409, message: 'This lead is already in the pool.' },
  'pool.daily_limit_reached': { status: 409, message: 'You have claimed as many leads from this pool today as allowed.' },
  'pool.cooldown': { status: 409, message: 'You lost this lead recently; you may claim it again after the cooldown.' },
  'pool.protected': { status: 409, message: "This new lead is reserved for its exhibition's team for now." },
  'call.lead_in_pool': { status: 409, message: 'This lead is back in the pool (recycled or released); claim it to call.' },
  'call.in_progress': { status: 409, message: 'Someone else is on the line with this customer.' },
  'call.not_found': { status: 404, message: 'No such call.' },
  'call.not_yours': { status: 403, message: 'Only the one who made the call can end it.' },
  'call.ended': { status: 409, message: 'This call has already ended.' },
  'task.lead_in_pool': { status: 409, message: 'This lead is back in the pool (recycled or released); claim it to add tasks.' },
  'task.not_found': { status: 404, message: 'No such task.' },
  'task.not_yours': { status: 403, message: 'Only the task\'s assignee, or someone who may edit its lead, can change it.' },
  'stage.lead_in_pool': { status: 409, message: 'This lead is back in the pool (recycled or released); claim it to move its stage.' },
  'follow_up.lead_in_pool': { status: 409, message: 'This lead is back in the pool (recycled or released); claim it to follow it up.' },
  'notes.not_visible': { status: 403, message: "This lead's notes are shown to those who see its contact details." },
  'notes.read_only': { status: 403, message: 'Only those who work this lead can write its notes.' },
  'notes.too_large': { status: 413, message: 'Notes are limited to 1 MB, and one change to 64 KB; this change was not saved.' },
  'notes.closed': { status: 409, message: 'The notes were closed before they opened.' },
  'pools.not_found': { status: 404, message: 'No such pool.' },
  'pools.name_taken': { status: 409, message: 'A pool with this name already exists.' },
  'pools.not_empty': { status: 409, message: 'Leads are in this pool; it can be deleted once it is empty.' },
  'pools.in_use': { status: 409, message: 'Assignment rules move leads into this pool; change them first.' },
  'pools.company_pool': { status: 409, message: 'The company pool cannot be deleted.' },
  'webhooks.not_found': { status: 404, message: 'No such webhook.' },
  'events.expired': { status: 410, message: 'Those events are no longer kept; reload.' },
  'user.not_found': { status: 404, message: 'No such user.' },
  'user.email_taken': { status: 409, message: 'A user with this email already exists.' },
  'user.cannot_deactivate_self': { status: 409, message: 'You cannot deactivate yourself.' },
  'team.not_found': { status: 404, message: 'No such team.' },
  'team.name_taken': { status: 409, message: 'A team with this name already exists.' },
  'exhibition.not_found': { status: 404, message: 'No such exhibition.' },
  'lead.not_editable': { status: 403, message: 'Only the owner, a manager of their team or an admin can change this lead.' },
  'tags.group_not_found': { status: 404, message: 'No such tag group.' },
  'tags.group_name_taken': { status: 409, message: 'A tag group with this name already exists.' },
  'tags.group_not_empty': { status: 409, message: 'This tag group still has tags; delete them first.' },
  'tags.not_found': { status: 404, message: 'No such tag.' },
  'tags.name_taken': { status: 409, message: 'This group already has a tag with this name.' },
  'tags.in_use': { status: 409, message: 'Leads carry this tag; remove it from them first.' },
  'custom_fields.not_found': { status: 404, message: 'No such custom field.' },
  'custom_fields.key_taken': { status: 409, message: 'A custom field with this key already exists.' },
  'custom_fields.option_in_use': { status: 409, message: 'Leads hold an option you removed; keep it or change those leads first.' },
  'api_key.invalid': { status: 401, message: 'Send a valid API key as `Authorization: Bearer <key>` or `X-Api-Key`.' },
  'api_key.revoked': { status: 401, message: 'This API key has been revoked.' },
  'api_key.not_found': { status: 404, message: 'No such API key.' },
  'intake.idempotency_key_reused': { status: 422, message: 'This Idempotency-Key was already used with a different request body.' },
  'intake.request_in_progress': { status: 409, message: 'A request with this Idempotency-Key is still being processed; retry shortly.' },
  'booth.not_found': { status: 404, message: 'This booth form does not exist or has been replaced.' },
  'booth.rate_limited': { status: 429, message: 'Too many submissions from this device; please wait a minute.' },
  'import.not_found': { status: 404, message: 'No such import.' },
  'import.empty_file': { status: 422, message: 'The file has no header row or no data rows.' },
  'import.unsupported_file': { status: 415, message: 'Upload an .xlsx workbook or a .csv file (old .xls: save as .xlsx first).' },
  'import.unreadable_file': { status: 422, message: 'The file is damaged or incomplete and cannot be read; nothing was imported.' },
  'import.too_many_columns': { status: 422, message: 'The file has too many columns.' },
  'import.too_many_rows': { status: 422, message: 'The file has too many rows; split it into smaller files.' },
  'import.file_too_large': { status: 413, message: 'The file is too large.' },
  'import.no_file': { status: 422, message: 'Choose a file to upload.' },
  'import.already_started': { status: 409, message: 'This import has already been started.' },
  // Only ever in a failed import's `error`: the job queue gave up after repeated errors.
  'import.interrupted': { status: 500, message: 'The import stopped after repeated errors. The rows listed in the report were imported; upload the file again for the rest.' },
  'server.internal': { status: 500, message: 'Something went wrong on our side.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export class AppError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;
  constructor(code: ErrorCode, details?: Record<string, unknown>, message?: string) {
    super(message ?? errorCatalogue[code].message);
    this.code = code;
    this.details = details;
    this.status = errorCatalogue[code].status;
  }
}
