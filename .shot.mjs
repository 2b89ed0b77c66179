import { chromium } from 'playwright-core';
import ExcelJS from 'exceljs';
const base = 'http://127.0.0.1:5101';
const out = '/tmp/imp/shots';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
// A small workbook with a duplicate, a bad row and Chinese headers.
const wb = new ExcelJS.Workbook(); const ws = wb.addWorksheet('线索');
ws.addRow(['公司名称', '联系人', '职位', '手机号码', '座机', '电子邮箱', '省份', '城市', '行业', '备注']);
const t = Date.now() % 100000;
ws.addRow([`潍坊恒达${t}机械有限公司`, '王建国', '采购经理', '+86 138 0536 ' + String(1000 + (t % 9000)), '（0531）8888-6666 转 123', 'WANG@HENGDA.CN', '山东省', '潍坊市', '机械设备', '展会名片']);
ws.addRow([`恒达${t}机械公司`, '李娜', '厂长', '', '', '', '山东省', '潍坊市', '机械设备', '']);
ws.addRow([`青岛瑞丰${t}电子有限公司`, '赵敏', '工程师', '12345', '', 'not-an-email', '山东省', '青岛市', '电子电气', '']);
ws.addRow(['', '无名', '', '13912345678', '', '', '', '', '', '']);
for (let i = 0; i < 40; i++) ws.addRow([`济南嘉禾${t}${i}精密有限公司`, '孙丽', '总经理', `1370531${String((t + i) % 10000).padStart(4, '0')}`, '', '', '山东省', '济南市', '机械设备', '']);
await wb.xlsx.writeFile('/tmp/imp/demo.xlsx');
for (const [lang, vp] of [['zh-CN', { width: 1280, height: 860 }], ['en', { width: 390, height: 844 }]]) {
  const ctx = await browser.newContext({ viewport: vp, locale: lang });
  const page = await ctx.newPage();
  await page.addInitScript((l) => localStorage.setItem('leadpool.locale', l), lang);
  await page.goto(base + '/signin');
  await page.fill('input[type=email]', 'admin@demo.local');
  await page.fill('input[type=password]', 'demo1234');
  await page.keyboard.press('Enter');
  await page.waitForURL(/pool/);
  await page.goto(base + '/imports');
  await page.waitForSelector('.drop');
  await page.screenshot({ path: `${out}/${lang}-1-choose.png`, fullPage: true });
  await page.setInputFiles('input[type=file]', '/tmp/imp/demo.xlsx');
  await page.waitForSelector('table.mapping');
  await page.screenshot({ path: `${out}/${lang}-2-map.png`, fullPage: true });
  await page.getByRole('button', { name: lang === 'en' ? 'Preview' : '预览' }).click();
  await page.waitForSelector('tr.rejected');
  await page.screenshot({ path: `${out}/${lang}-3-preview.png`, fullPage: true });
  await page.getByRole('button', { name: lang === 'en' ? 'Start import' : '开始导入' }).click();
  await page.waitForSelector('.result');
  await page.screenshot({ path: `${out}/${lang}-4-progress.png`, fullPage: true });
  await page.waitForSelector('a[download][href*=report]', { timeout: 60000 });
  await page.screenshot({ path: `${out}/${lang}-5-done.png`, fullPage: true });
  // A broken file.
  await page.getByRole('button', { name: lang === 'en' ? 'Import another file' : '导入另一个文件' }).click();
  await page.setInputFiles('input[type=file]', { name: 'photo.xlsx', mimeType: 'image/png', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]) });
  await page.waitForSelector('.problem');
  await page.screenshot({ path: `${out}/${lang}-6-broken.png`, fullPage: true });
  await ctx.close();
}
await browser.close();
