// The reader's fix must load before exceljs does (as it does on the server: the reader loads it first).
import './exceljs-utf8.ts';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { detectEncoding, readSheetHere } from './file-reader.ts';

const collect = async (rows: AsyncIterable<{ cells: string[] }>) => {
  const out: string[][] = [];
  for await (const row of rows) out.push(row.cells);
  return out;
};

describe('reading spreadsheets', () => {
  it('reads every Chinese character of a large workbook intact (no character split across chunks)', async () => {
    const rows = Array.from({ length: 6000 }, (_, i) => [`山东华信机械${i}有限公司`, '王建国', `济南市历下区经十路${i}号`, '机械设备']);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('线索');
    sheet.addRow(['公司名称', '联系人', '地址', '行业']);
    for (const row of rows) sheet.addRow(row);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const read = await collect(readSheetHere(bytes, 'xlsx'));
    expect(read.slice(1)).toEqual(rows);
  });

  it('tells GBK from UTF-8', () => {
    const text = '公司名称,联系人\r\n山东华信机械有限公司,王建国\r\n';
    expect(detectEncoding(new Uint8Array(iconv.encode(text, 'gbk')))).toBe('gb18030');
    expect(detectEncoding(new TextEncoder().encode(text))).toBe('utf-8');
  });
});
