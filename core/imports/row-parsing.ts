import { z } from 'zod';
import type { CustomField, SourceChannel } from '../../db/schema/index.ts';
import { customCellValue, customValuesSchema } from '../custom-fields/custom-values.ts';
import { cleanPhone } from '../dedup/cleaning.ts';
import { createLeadInput } from '../leads/leads.schemas.ts';
import type { LeadCandidate } from '../intake/bulk-ingest.ts';
import { excelSerialDate, type SheetRow } from './file-reader.ts';
import { foldHeader, leadImportFields, type ColumnMapping, type LeadImportField } from './header-mapping.ts';

/** A row that cannot become a lead, with field error codes (as the API's 422 gives them). */
export interface RejectedRow {
  rowNo: number;
  errors: Record<string, string[]>;
}

export type ParsedRow = { ok: true; candidate: LeadCandidate } | { ok: false; rejected: RejectedRow };

// The lead form's own rules for the plain fields; phones are read more leniently below.
const plainFields = createLeadInput.pick({
  company: true,
  contactName: true,
  title: true,
  email: true,
  province: true,
  city: true,
  industry: true,
  intent: true,
  expectedAmount: true,
});

const sourceWords: Record<string, SourceChannel> = {
  展会: 'exhibition', 展览: 'exhibition', exhibition: 'exhibition', expo: 'exhibition', tradeshow: 'exhibition',
  网站: 'web', 官网: 'web', 网络: 'web', 网页: 'web', web: 'web', website: 'web', online: 'web',
  转介绍: 'referral', 推荐: 'referral', 介绍: 'referral', referral: 'referral',
  手动: 'manual', 手工: 'manual', 录入: 'manual', manual: 'manual',
  api: 'api', 导入: 'import', import: 'import',
};

/** What the rows of one import share: live custom fields, exhibitions by name, the chosen exhibition. */
export interface RowContext {
  mapping: ColumnMapping;
  customFields: Pick<CustomField, 'key' | 'type' | 'options' | 'required' | 'archivedAt'>[];
  /** Exhibition ids by folded name, for an 展会 column. */
  exhibitionsByName: Map<string, string>;
  /** The exhibition the whole file came from, if the importer chose one. */
  exhibitionId: string | null;
}

/** Prepares the per-row work once per import. */
export function rowParser(ctx: RowContext): (row: SheetRow) => ParsedRow {
  const live = ctx.customFields.filter((f) => f.archivedAt === null);
  const customByKey = new Map(live.map((f) => [f.key, f]));
  const customSchema = customValuesSchema(live);
  const columns = Object.entries(ctx.mapping).map(([index, target]) => ({ index: Number(index), target }));

  return (row) => {
    const errors: Record<string, string[]> = {};
    const add = (field: string, code: string) => (errors[field] ??= []).push(code);
    const plain: Partial<Record<LeadImportField, string>> = {};
    const custom: Record<string, unknown> = {};
    for (const { index, target } of columns) {
      const problem = row.problems?.[index];
      if (problem) add(target, problem);
      const cell = (row.cells[index] ?? '').trim();
      if (target.startsWith('custom:')) {
        const field = customByKey.get(target.slice(7));
        if (!field) continue;
        const value = field.type === 'date' ? (excelSerialDate(cell) ?? cell) : cell;
        custom[field.key] = customCellValue(field, value);
      } else if (cell !== '') {
        plain[target as LeadImportField] = cell;
      }
    }

    // A mobile written in the phone column (or a landline in the mobile column) goes where it belongs.
    let mobile = plain.mobile ? cleanPhone(plain.mobile) : null;
    let phone = plain.phone ? cleanPhone(plain.phone) : null;
    if (plain.mobile && !mobile) add('mobile', 'invalid_mobile');
    if (plain.phone && !phone) add('phone', 'invalid_phone');
    if (mobile?.kind === 'landline' && !phone) [phone, mobile] = [mobile, null];
    if (phone?.kind === 'mobile' && !mobile) [mobile, phone] = [phone, null];
    if (mobile?.kind === 'landline') add('mobile', 'invalid_mobile');

    const { mobile: _m, phone: _p, source: _s, exhibition: _e, ...rest } = plain;
    // An empty company cell is "required", as on the form.
    const parsed = plainFields.safeParse({ ...rest, company: plain.company ?? '', intent: plain.intent?.toUpperCase() });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) add(String(issue.path[0] ?? ''), /^[a-z_]+$/.test(issue.message) ? issue.message : issue.code);
    }
    const customParsed = customSchema.safeParse(custom);
    if (!customParsed.success) {
      for (const issue of customParsed.error.issues) add(`custom:${String(issue.path[0] ?? '')}`, /^[a-z_]+$/.test(issue.message) ? issue.message : issue.code);
    }

    let exhibitionId = ctx.exhibitionId;
    if (plain.exhibition) {
      const found = ctx.exhibitionsByName.get(foldHeader(plain.exhibition));
      if (found) exhibitionId = found;
      else add('exhibition', 'unknown_exhibition');
    }
    const source = plain.source ? sourceWords[foldHeader(plain.source)] : undefined;
    if (plain.source && !source) add('source', 'unknown_source');

    if (Object.keys(errors).length > 0 || !parsed.success || !customParsed.success) return { ok: false, rejected: { rowNo: row.rowNo, errors } };
    const values = parsed.data;
    return {
      ok: true,
      candidate: {
        rowNo: row.rowNo,
        company: values.company,
        contactName: values.contactName ?? null,
        title: values.title ?? null,
        mobile: mobile?.number ?? null,
        phone: phone?.number ?? null,
        phoneExt: phone?.extension ?? null,
        email: values.email ?? null,
        province: values.province ?? null,
        city: values.city ?? null,
        industry: values.industry ?? null,
        intent: values.intent ?? null,
        expectedAmount: values.expectedAmount ?? null,
        sourceChannel: source ?? (exhibitionId ? 'exhibition' : 'import'),
        exhibitionId,
        custom: Object.fromEntries(Object.entries(customParsed.data).filter(([, v]) => v !== undefined)),
      },
    };
  };
}

/** The mapping as the API takes it: column index → field; each lead field at most once; company mapped. */
export const columnMappingInput = z
  .record(z.string().regex(/^\d{1,3}$/), z.string().regex(/^(custom:[\w.-]{1,100}|[a-zA-Z]{1,30})$/))
  .superRefine((mapping, ctx) => {
    const targets = Object.values(mapping);
    const known = new Set<string>(leadImportFields);
    if (targets.some((t) => !t.startsWith('custom:') && !known.has(t))) ctx.addIssue({ code: 'custom', message: 'unknown_field' });
    if (!targets.includes('company')) ctx.addIssue({ code: 'custom', message: 'company_not_mapped' });
    if (new Set(targets).size !== targets.length) ctx.addIssue({ code: 'custom', message: 'field_mapped_twice' });
  }) as unknown as z.ZodType<ColumnMapping>;
