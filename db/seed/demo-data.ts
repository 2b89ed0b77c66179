/** Word lists for realistic Chinese B2B demo leads. */

export const regions: { province: string; cities: string[]; short: string }[] = [
  { province: '山东', short: '山东', cities: ['济南', '青岛', '烟台', '潍坊', '淄博'] },
  { province: '广东', short: '广东', cities: ['广州', '深圳', '东莞', '佛山', '中山'] },
  { province: '江苏', short: '江苏', cities: ['苏州', '南京', '无锡', '常州'] },
  { province: '浙江', short: '浙江', cities: ['杭州', '宁波', '温州', '台州'] },
  { province: '河北', short: '河北', cities: ['石家庄', '唐山', '保定'] },
  { province: '河南', short: '河南', cities: ['郑州', '洛阳', '新乡'] },
  { province: '湖北', short: '湖北', cities: ['武汉', '襄阳', '宜昌'] },
  { province: '四川', short: '四川', cities: ['成都', '绵阳', '德阳'] },
  { province: '福建', short: '福建', cities: ['厦门', '福州', '泉州'] },
  { province: '上海', short: '上海', cities: ['上海'] },
  { province: '天津', short: '天津', cities: ['天津'] },
  { province: '安徽', short: '安徽', cities: ['合肥', '芜湖'] },
];

/** Brand syllables with a pinyin form for e-mail domains. */
export const brands: [string, string][] = [
  ['华信', 'huaxin'], ['恒力', 'hengli'], ['鑫达', 'xinda'], ['宏远', 'hongyuan'], ['金泰', 'jintai'],
  ['永盛', 'yongsheng'], ['德隆', 'delong'], ['瑞丰', 'ruifeng'], ['天成', 'tiancheng'], ['中联', 'zhonglian'],
  ['东方', 'dongfang'], ['凯达', 'kaida'], ['博远', 'boyuan'], ['嘉禾', 'jiahe'], ['盛世', 'shengshi'],
  ['海川', 'haichuan'], ['明阳', 'mingyang'], ['兴业', 'xingye'], ['广源', 'guangyuan'], ['新锐', 'xinrui'],
  ['正泰', 'zhengtai'], ['远航', 'yuanhang'], ['富华', 'fuhua'], ['科达', 'keda'], ['鼎盛', 'dingsheng'],
  ['长城', 'changcheng'], ['万通', 'wantong'], ['联创', 'lianchuang'], ['众诚', 'zhongcheng'], ['银河', 'yinhe'],
];

/** Industry → words that go in a company name. */
export const industries: { name: string; words: string[] }[] = [
  { name: '机械设备', words: ['机械', '重工', '机床', '液压设备'] },
  { name: '电子元器件', words: ['电子', '电子科技', '微电子'] },
  { name: '化工', words: ['化工', '新材料', '精细化工'] },
  { name: '汽车零部件', words: ['汽车配件', '汽车部件', '精密制造'] },
  { name: '建材', words: ['建材', '新型建材', '管业'] },
  { name: '纺织服装', words: ['纺织', '服饰', '织造'] },
  { name: '医疗器械', words: ['医疗器械', '医疗科技'] },
  { name: '食品加工', words: ['食品', '农产品加工'] },
  { name: '新能源', words: ['新能源', '光伏科技', '储能科技'] },
  { name: '包装印刷', words: ['包装', '印务', '包装材料'] },
];

export const legalForms = ['有限公司', '有限公司', '有限公司', '股份有限公司', '集团有限公司', '有限责任公司'];

export const surnames: [string, string][] = [
  ['王', 'wang'], ['李', 'li'], ['张', 'zhang'], ['刘', 'liu'], ['陈', 'chen'], ['杨', 'yang'], ['赵', 'zhao'],
  ['黄', 'huang'], ['周', 'zhou'], ['吴', 'wu'], ['徐', 'xu'], ['孙', 'sun'], ['胡', 'hu'], ['朱', 'zhu'],
  ['高', 'gao'], ['林', 'lin'], ['何', 'he'], ['郭', 'guo'], ['马', 'ma'], ['罗', 'luo'],
];
export const givenNames: [string, string][] = [
  ['伟', 'wei'], ['芳', 'fang'], ['娜', 'na'], ['敏', 'min'], ['静', 'jing'], ['强', 'qiang'], ['磊', 'lei'],
  ['洋', 'yang'], ['艳', 'yan'], ['勇', 'yong'], ['军', 'jun'], ['杰', 'jie'], ['涛', 'tao'], ['明', 'ming'],
  ['超', 'chao'], ['秀英', 'xiuying'], ['建华', 'jianhua'], ['志强', 'zhiqiang'], ['海燕', 'haiyan'], ['国庆', 'guoqing'],
];

export const titles = ['采购经理', '总经理', '技术总监', '采购主管', '厂长', '设备部经理', '副总经理', '项目经理', '采购专员'];

/** Mobile prefixes in use in mainland China. */
export const mobilePrefixes = ['138', '139', '137', '136', '135', '150', '151', '152', '158', '159', '186', '187', '188', '189', '177', '180', '181', '133', '153', '199'];

export const exhibitionsSeed = [
  { name: '2026中国国际工业博览会', city: '上海', startsOn: '2026-09-22', endsOn: '2026-09-26', cost: 380000 },
  { name: '2026华南国际工业博览会', city: '深圳', startsOn: '2026-08-26', endsOn: '2026-08-28', cost: 220000 },
  { name: '第138届中国进出口商品交易会', city: '广州', startsOn: '2026-10-15', endsOn: '2026-10-19', cost: 450000 },
  { name: '2026济南国际机床展览会', city: '济南', startsOn: '2026-11-05', endsOn: '2026-11-08', cost: 120000 },
];

export const teamsSeed = ['华东销售一组', '华南销售二组'];
/** The second team's pool: unclaimed leads from these provinces go to it. */
export const southPoolSeed = '华南大区池';
export const southProvinces = ['广东', '福建'];
export const southBoothRuleSeed = '华南展会线索进华南大区池';
export const southCities = ['深圳', '广州'];

/** Tag groups and their tags; 展会来源 follows exhibitionsSeed's order, then the other channels. */
export const tagGroupsSeed: { name: string; tags: string[] }[] = [
  { name: '展会来源', tags: ['工博会', '华南工博会', '广交会', '济南机床展', '官网', '老客户转介绍'] },
  { name: '意向等级', tags: ['高意向', '中意向', '低意向'] },
  { name: '意向产品', tags: ['激光切割机', '数控折弯机', '工业机器人', '自动化产线'] },
  { name: '行业', tags: ['机械设备', '电子元器件', '新能源', '汽车零部件'] },
];

export const customFieldsSeed = [
  { key: 'budget', label: '采购预算', type: 'number' as const, options: [] },
  { key: 'purchase_date', label: '采购时间', type: 'date' as const, options: [] },
  { key: 'products', label: '关注产品', type: 'multiselect' as const, options: ['激光切割机', '数控折弯机', '工业机器人', '自动化产线', '配件耗材'] },
];
