import { asc, eq, isNull, sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../../db/client.ts';
import { customFields, type CustomField } from '../../db/schema/index.ts';
import { AppError } from '../errors.ts';
import { isChoice, keyFromLabel, type CustomFieldInput, type CustomFieldPatch } from './custom-fields.schemas.ts';

export type CustomFieldView = Omit<CustomField, 'createdAt'>;

const columns = {
  id: customFields.id,
  key: customFields.key,
  label: customFields.label,
  type: customFields.type,
  options: customFields.options,
  required: customFields.required,
  position: customFields.position,
  archivedAt: customFields.archivedAt,
};

/** Every field, live ones first, in form order. */
export function listCustomFields(db: Db): Promise<CustomFieldView[]> {
  return db.select(columns).from(customFields).orderBy(sql`${customFields.archivedAt} is not null`, asc(customFields.position), asc(customFields.label));
}

/** The fields a lead's values are checked against (live ones; archived fields are no longer asked for). */
export function liveCustomFields(db: Db): Promise<CustomFieldView[]> {
  return db.select(columns).from(customFields).where(isNull(customFields.archivedAt)).orderBy(asc(customFields.position), asc(customFields.label));
}

async function mustFind(db: Db, id: string): Promise<CustomFieldView> {
  const [field] = await db.select(columns).from(customFields).where(eq(customFields.id, id));
  if (!field) throw new AppError('custom_fields.not_found', { id });
  return field;
}

async function keyTaken(db: Db, key: string): Promise<boolean> {
  const [row] = await db.select({ id: customFields.id }).from(customFields).where(eq(customFields.key, key));
  return Boolean(row);
}

/** A free key: the one given (taken → 409), or one from the label, or `field_<n>`. */
async function freeKey(db: Db, input: CustomFieldInput): Promise<string> {
  if (input.key) {
    if (await keyTaken(db, input.key)) throw new AppError('custom_fields.key_taken', { key: input.key });
    return input.key;
  }
  const base = keyFromLabel(input.label) || 'field';
  for (let n = 1; ; n++) {
    const key = base === 'field' || n > 1 ? `${base}_${n}` : base;
    if (!(await keyTaken(db, key))) return key;
  }
}

export async function createCustomField(db: Db, input: CustomFieldInput): Promise<CustomFieldView> {
  const key = await freeKey(db, input);
  const position = input.position ?? Number(rowsOf<{ next: number }>(await db.execute(sql`select coalesce(max(position) + 1, 0)::int as next from custom_fields`))[0]?.next ?? 0);
  const [row] = await db
    .insert(customFields)
    .values({ key, label: input.label, type: input.type, options: isChoice(input.type) ? input.options : [], required: input.required, position })
    .returning(columns);
  return row!;
}

/** How many leads hold this option of a (multi)select field (the GIN index on leads.custom answers it). */
async function leadsHolding(db: Db, field: Pick<CustomField, 'key' | 'type'>, option: string): Promise<number> {
  const value = field.type === 'multiselect' ? [option] : option;
  const contains = JSON.stringify({ [field.key]: value });
  const [row] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from leads where custom @> ${contains}::jsonb`));
  return Number(row?.n ?? 0);
}

/**
 * Changes a field. Its key and type never change. Removing an option that leads still hold is
 * refused (`custom_fields.option_in_use` names them), so no value is lost silently.
 */
export async function updateCustomField(db: Db, id: string, patch: CustomFieldPatch): Promise<CustomFieldView> {
  const field = await mustFind(db, id);
  const { archived, ...rest } = patch;
  if (rest.options !== undefined) {
    if (!isChoice(field.type)) throw new AppError('request.invalid', { fields: { options: ['not_a_choice_field'] } });
    if (rest.options.length === 0) throw new AppError('request.invalid', { fields: { options: ['options_required'] } });
    const removed = field.options.filter((o) => !rest.options!.includes(o));
    const inUse: { option: string; leadCount: number }[] = [];
    for (const option of removed) {
      const leadCount = await leadsHolding(db, field, option);
      if (leadCount > 0) inUse.push({ option, leadCount });
    }
    if (inUse.length > 0) throw new AppError('custom_fields.option_in_use', { options: inUse });
  }
  const archivedAt = archived === undefined ? {} : { archivedAt: archived ? (field.archivedAt ?? new Date()) : null };
  const [row] = await db.update(customFields).set({ ...rest, ...archivedAt }).where(eq(customFields.id, id)).returning(columns);
  return row!;
}

/** Deletes a field no lead has a value for; a field with values is archived instead. */
export async function deleteCustomField(db: Db, id: string): Promise<{ deleted: boolean; field: CustomFieldView }> {
  const field = await mustFind(db, id);
  const [used] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from leads where custom ? ${field.key}`));
  if (Number(used?.n ?? 0) > 0) return { deleted: false, field: await updateCustomField(db, id, { archived: true }) };
  await db.delete(customFields).where(eq(customFields.id, id));
  return { deleted: true, field };
}
