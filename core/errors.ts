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
  'lead.not_visible': { status: 403, message: 'This lead belongs to someone outside your scope.' },
  'pool.already_claimed': { status: 409, message: 'Someone else claimed this lead first.' },
  'pool.limit_reached': { status: 409, message: 'You hold as many leads as allowed; release one first.' },
  'pool.not_owner': { status: 403, message: 'Only the owner or a manager can release this lead.' },
  'pool.not_claimed': { status: 409, message: 'This lead is already in the pool.' },
  'events.expired': { status: 410, message: 'Those events are no longer kept; reload.' },
  'user.not_found': { status: 404, message: 'No such user.' },
  'user.email_taken': { status: 409, message: 'A user with this email already exists.' },
  'user.cannot_deactivate_self': { status: 409, message: 'You cannot deactivate yourself.' },
  'team.not_found': { status: 404, message: 'No such team.' },
  'team.name_taken': { status: 409, message: 'A team with this name already exists.' },
  'exhibition.not_found': { status: 404, message: 'No such exhibition.' },
  'import.not_found': { status: 404, message: 'No such import.' },
  'import.empty_file': { status: 422, message: 'The file has no header row or no data rows.' },
  'import.unsupported_file': { status: 415, message: 'Upload an .xlsx workbook or a .csv file (old .xls: save as .xlsx first).' },
  'import.unreadable_file': { status: 422, message: 'The file is damaged or incomplete and cannot be read; nothing was imported.' },
  'import.too_many_columns': { status: 422, message: 'The file has too many columns.' },
  'import.too_many_rows': { status: 422, message: 'The file has too many rows; split it into smaller files.' },
  'import.file_too_large': { status: 413, message: 'The file is too large.' },
  'import.no_file': { status: 422, message: 'Choose a file to upload.' },
  'import.already_started': { status: 409, message: 'This import has already been started.' },
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
