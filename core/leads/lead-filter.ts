import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { listCustomFields, type CustomFieldView } from '../custom-fields/custom-fields.usecases.ts';
import { AppError } from '../errors.ts';
import { resolveTags } from '../tags/tags.usecases.ts';

/** The tag and custom-field part of a lead list's filter (pool, my leads). */
export interface TagCustomFilter {
  /** Tag ids: a lead passes with any of the ids of one group (OR), and one of every group named (AND). */
  tag?: string[];
  /**
   * Custom-field conditions `key=value` (a select or multiselect holds the option, a number or date
   * equals, a text contains), `key>=value` and `key<=value` (number or date range). Several `=` on one
   * key are alternatives (OR); different keys all hold (AND).
   */
  cf?: string[];
}

const condition = /^([a-z][a-z0-9_]*)(>=|<=|=)(.*)$/s;
const invalid = (code: string): never => {
  throw new AppError('request.invalid', { fields: { cf: [code] } });
};

function valueCondition(field: CustomFieldView, op: '=' | '>=' | '<=', raw: string): SQL {
  const value = raw.trim();
  if (value === '') return invalid('invalid_filter');
  const at = sql`(l.custom -> ${field.key})`;
  const contains = (v: unknown) => sql`l.custom @> ${JSON.stringify({ [field.key]: v })}::jsonb`;
  const number = () => (Number.isFinite(Number(value)) ? Number(value) : invalid('invalid_number'));
  const date = () => (/^\d{4}-\d{2}-\d{2}$/.test(value) ? value : invalid('invalid_date'));
  if (op === '=') {
    switch (field.type) {
      case 'select':
        return contains(value);
      case 'multiselect':
        return contains([value]);
      case 'number':
        return contains(number());
      case 'date':
        return contains(date());
      case 'text':
        return sql`(l.custom ->> ${field.key}) ilike ${`%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`;
    }
  }
  const cmp = op === '>=' ? sql`>=` : sql`<=`;
  if (field.type === 'number') return sql`(case when jsonb_typeof(${at}) = 'number' then (${at})::numeric end) ${cmp} ${number()}`;
  if (field.type === 'date') return sql`(case when jsonb_typeof(${at}) = 'string' then ${at} #>> '{}' end) ${cmp} ${date()}`;
  return invalid('invalid_filter');
}

/** SQL conditions on a leads row `l` for the filter; unknown tags or fields answer 422 `request.invalid`. */
export async function tagCustomConditions(db: Db, filter: TagCustomFilter): Promise<SQL[]> {
  const conditions: SQL[] = [];
  if (filter.tag?.length) {
    const byGroup = Map.groupBy(await resolveTags(db, filter.tag, 'tag'), (t) => t.groupId);
    for (const inGroup of byGroup.values()) {
      const ids = sql.join(inGroup.map((t) => sql`${t.id}`), sql`, `);
      conditions.push(sql`exists (select 1 from lead_tags lt where lt.lead_id = l.id and lt.tag_id in (${ids}))`);
    }
  }
  if (filter.cf?.length) {
    const fields = new Map((await listCustomFields(db)).map((f) => [f.key, f]));
    const alternatives = new Map<string, SQL[]>();
    for (const item of filter.cf) {
      const [, key, op, value] = condition.exec(item) ?? invalid('invalid_filter');
      const field = fields.get(key!) ?? invalid('unknown_field');
      const group = `${key}${op}`;
      const sqlCondition = valueCondition(field, op as '=' | '>=' | '<=', value!);
      if (op === '=') alternatives.set(group, [...(alternatives.get(group) ?? []), sqlCondition]);
      else conditions.push(sqlCondition);
    }
    for (const any of alternatives.values()) conditions.push(sql`(${sql.join(any, sql` or `)})`);
  }
  return conditions;
}
