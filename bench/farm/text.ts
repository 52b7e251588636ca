// The farm's sentences, written for this benchmark. Central Asia items name one republic (and a
// city of it), a person with a generated name and numbers of their own, so that two items rarely
// look like one story; some carry one framing in a sentence attributed to a speaker. Unrelated
// items are about football, markets, weather, science and gadgets, and name none of the five.
import type { CountryCode } from '../../src/core/types.js';

export const FARM_LANGS = ['en', 'ru', 'zh', 'kk', 'uz'] as const;
export type FarmLang = (typeof FARM_LANGS)[number];

/** The framings the farm writes; foreign-agent-ngo only in English and Russian. */
export const FARM_TAGS = ['color-revolution', 'external-interference', 'foreign-agent-ngo'] as const;
export type FarmTag = (typeof FARM_TAGS)[number];

interface CountryForms {
  /** Name as a subject / in the nominative. */
  nom: Record<FarmLang, string>;
  /** Russian genitive ("правительство Казахстана"). */
  ruGen: string;
  /** Cities: [en, ru prepositional ("в Ташкенте"), zh, kk, uz, ru genitive ("из Ташкента")]. */
  cities: [string, string, string, string, string, string][];
}

export const COUNTRY_FORMS: Record<CountryCode, CountryForms> = {
  KZ: {
    nom: { en: 'Kazakhstan', ru: 'Казахстан', zh: '哈萨克斯坦', kk: 'Қазақстан', uz: "Qozog'iston" },
    ruGen: 'Казахстана',
    cities: [
      ['Almaty', 'Алматы', '阿拉木图', 'Алматы', 'Almaty', 'Алматы'],
      ['Shymkent', 'Шымкенте', '奇姆肯特', 'Шымкент', 'Shymkent', 'Шымкента'],
      ['Karaganda', 'Караганде', '卡拉干达', 'Қарағанды', 'Karaganda', 'Караганды'],
      ['Aktobe', 'Актобе', '阿克托别', 'Ақтөбе', 'Aktobe', 'Актобе'],
      ['Pavlodar', 'Павлодаре', '巴甫洛达尔', 'Павлодар', 'Pavlodar', 'Павлодара'],
    ],
  },
  UZ: {
    nom: { en: 'Uzbekistan', ru: 'Узбекистан', zh: '乌兹别克斯坦', kk: 'Өзбекстан', uz: "O'zbekiston" },
    ruGen: 'Узбекистана',
    cities: [
      ['Tashkent', 'Ташкенте', '塔什干', 'Ташкент', 'Toshkent', 'Ташкента'],
      ['Samarkand', 'Самарканде', '撒马尔罕', 'Самарқанд', 'Samarqand', 'Самарканда'],
      ['Namangan', 'Намангане', '纳曼干', 'Наманган', 'Namangan', 'Намангана'],
      ['Bukhara', 'Бухаре', '布哈拉', 'Бұхара', 'Buxoro', 'Бухары'],
    ],
  },
  KG: {
    nom: { en: 'Kyrgyzstan', ru: 'Кыргызстан', zh: '吉尔吉斯斯坦', kk: 'Қырғызстан', uz: "Qirg'iziston" },
    ruGen: 'Кыргызстана',
    cities: [
      ['Bishkek', 'Бишкеке', '比什凯克', 'Бішкек', 'Bishkek', 'Бишкека'],
      ['Karakol', 'Караколе', '卡拉科尔', 'Қаракөл', 'Karakol', 'Каракола'],
    ],
  },
  TJ: {
    nom: { en: 'Tajikistan', ru: 'Таджикистан', zh: '塔吉克斯坦', kk: 'Тәжікстан', uz: 'Tojikiston' },
    ruGen: 'Таджикистана',
    cities: [
      ['Dushanbe', 'Душанбе', '杜尚别', 'Душанбе', 'Dushanbe', 'Душанбе'],
      ['Khujand', 'Худжанде', '苦盏', 'Хұжанд', 'Xujand', 'Худжанда'],
      ['Kulob', 'Кулябе', '库利亚布', 'Күләб', 'Kulob', 'Куляба'],
    ],
  },
  TM: {
    nom: { en: 'Turkmenistan', ru: 'Туркменистан', zh: '土库曼斯坦', kk: 'Түрікменстан', uz: 'Turkmaniston' },
    ruGen: 'Туркменистана',
    cities: [
      ['Ashgabat', 'Ашхабаде', '阿什哈巴德', 'Ашғабат', 'Ashgabat', 'Ашхабада'],
      ['Turkmenabat', 'Туркменабате', '土库曼纳巴德', 'Түрікменабат', 'Turkmanobod', 'Туркменабата'],
      ['Dashoguz', 'Дашогузе', '达绍古兹', 'Дашогуз', 'Dashoguz', 'Дашогуза'],
    ],
  },
};

/** Given names: [en, ru, zh], male and female (surname endings agree). */
export const GIVEN: Record<'m' | 'f', [string, string, string][]> = {
  m: [
    ['Nurlan', 'Нурлан', '努尔兰'],
    ['Bakyt', 'Бакыт', '巴克特'],
    ['Farrukh', 'Фаррух', '法鲁赫'],
    ['Rustam', 'Рустам', '鲁斯塔姆'],
    ['Jamshid', 'Джамшид', '贾姆希德'],
    ['Azamat', 'Азамат', '阿扎马特'],
    ['Daniyar', 'Данияр', '达尼亚尔'],
    ['Erlan', 'Ерлан', '叶尔兰'],
    ['Ilkhom', 'Илхом', '伊尔霍姆'],
  ],
  f: [
    ['Aigerim', 'Айгерим', '艾格丽姆'],
    ['Dilnoza', 'Дилноза', '迪尔诺扎'],
    ['Gulnara', 'Гульнара', '古丽娜拉'],
    ['Saule', 'Сауле', '萨乌列'],
    ['Madina', 'Мадина', '马迪娜'],
    ['Nodira', 'Нодира', '诺迪拉'],
    ['Zarina', 'Зарина', '扎丽娜'],
  ],
};

/** Surname parts: [en, ru, zh]; a surname is two stems and an ending, e.g. Kurbanov. */
export const STEMS: [string, string, string][] = [
  ['Kur', 'Кур', '库尔'],
  ['Ban', 'Бан', '班'],
  ['Sar', 'Сар', '萨尔'],
  ['Dos', 'Дос', '多斯'],
  ['Zhol', 'Жол', '卓尔'],
  ['Tel', 'Тел', '铁尔'],
  ['Mak', 'Мак', '马克'],
  ['Sul', 'Сул', '苏尔'],
  ['Ker', 'Кер', '克尔'],
  ['Ibra', 'Ибра', '伊布拉'],
  ['Usen', 'Усен', '乌森'],
  ['Kam', 'Кам', '卡姆'],
  ['Shar', 'Шар', '沙尔'],
  ['Abil', 'Абил', '阿比尔'],
  ['Orin', 'Орин', '奥林'],
  ['Yus', 'Юс', '尤斯'],
  ['Ruz', 'Руз', '鲁兹'],
  ['Zhum', 'Жум', '朱姆'],
  ['Bek', 'Бек', '别克'],
  ['Gaf', 'Гаф', '加夫'],
  ['Pir', 'Пир', '皮尔'],
  ['Vahd', 'Вахд', '瓦赫德'],
  ['Lut', 'Лут', '卢特'],
  ['Nez', 'Нез', '涅兹'],
  ['Hod', 'Ход', '霍德'],
  ['Fez', 'Фез', '费兹'],
  ['Jib', 'Джиб', '吉布'],
  ['Chor', 'Чор', '乔尔'],
  ['Wal', 'Уал', '瓦尔'],
  ['Qyz', 'Кыз', '克兹'],
  ['Ep', 'Эп', '埃普'],
  ['Yag', 'Яг', '亚格'],
  ['Mirz', 'Мирз', '米尔兹'],
  ['Dzhur', 'Джур', '朱尔'],
  ['Ilg', 'Ильг', '伊尔格'],
  ['Tup', 'Туп', '图普'],
  ['Sem', 'Сем', '谢姆'],
  ['Rav', 'Рав', '拉夫'],
  ['Khal', 'Хал', '哈尔'],
];
export const ENDINGS: Record<'m' | 'f', [string, string, string][]> = {
  m: [
    ['ov', 'ов', '诺夫'],
    ['ev', 'ев', '耶夫'],
    ['aliev', 'алиев', '阿利耶夫'],
    ['imov', 'имов', '伊莫夫'],
    ['zoda', 'зода', '佐达'],
  ],
  f: [
    ['ova', 'ова', '诺娃'],
    ['eva', 'ева', '耶娃'],
    ['baeva', 'баева', '巴耶娃'],
    ['kulova', 'кулова', '库洛娃'],
    ['zoda', 'зода', '佐达'],
  ],
};

/** Generated company and village names: two stems and a kind / a suffix ([Latin, Cyrillic, zh]). */
export const ORG_KINDS: [string, string, string][] = [
  ['Energy', 'Энерджи', '能源'],
  ['Logistics', 'Логистикс', '物流'],
  ['Agro', 'Агро', '农业'],
  ['Invest', 'Инвест', '投资'],
  ['Stroy', 'Строй', '建设'],
  ['Telecom', 'Телеком', '电信'],
  ['Textile', 'Текстиль', '纺织'],
  ['Mining', 'Майнинг', '矿业'],
];
export const VILLAGE_SUFFIXES: [string, string, string][] = [
  ['sai', 'сай', '赛'],
  ['bulak', 'булак', '布拉克'],
  ['tepa', 'тепа', '捷帕'],
  ['ozek', 'озек', '奥泽克'],
  ['kol', 'коль', '科尔'],
];

export const WEEKDAYS: Record<FarmLang, string[]> = {
  en: ['on Sunday', 'on Monday', 'on Tuesday', 'on Wednesday', 'on Thursday', 'on Friday', 'on Saturday'],
  ru: ['в воскресенье', 'в понедельник', 'во вторник', 'в среду', 'в четверг', 'в пятницу', 'в субботу'],
  zh: ['周日', '周一', '周二', '周三', '周四', '周五', '周六'],
  kk: ['жексенбі күні', 'дүйсенбі күні', 'сейсенбі күні', 'сәрсенбі күні', 'бейсенбі күні', 'жұма күні', 'сенбі күні'],
  uz: ['yakshanba kuni', 'dushanba kuni', 'seshanba kuni', 'chorshanba kuni', 'payshanba kuni', 'juma kuni', 'shanba kuni'],
};

/**
 * A small grammar per language for Central Asia items. Each item draws its own few agents, verbs,
 * objects and places and builds every sentence from them, so that an item's words repeat within
 * it and differ from the next item's, as two reports of different events do. (Items made from
 * fixed templates look like one story to the clustering, which is right about them.)
 *
 * Sentence placeholders: {AGENT} {AGENTC} (capitalised) {VERB} {OBJ} {PLACE} {TIME} {SOURCE}
 * {QUOTE} {ROLE} {P2} {C} {CG} {N2} {N4} {Y2}. Pool entries may use {ORG} {VIL} {VIL2} {CITY} {CITYG}
 * {DOMAIN} {WD} {N5} {Y}.
 */
export interface CaGrammar {
  agents: string[];
  domains: string[];
  verbs: string[];
  objects: string[];
  places: string[];
  times: string[];
  sources: string[];
  quotes: string[];
  roles: string[];
  /** The first paragraph: names the country. */
  lead: string;
  titles: string[];
  sentences: string[];
  /** A protest paragraph placed before a framing sentence. */
  protest: string;
  framing: Partial<Record<FarmTag, string>>;
}

export const CA_GRAMMAR: Record<FarmLang, CaGrammar> = {
  en: {
    agents: ['{ORG}', 'the board of {ORG}', 'the ministry of {DOMAIN}', 'the {VIL2} district council', 'residents of {VIL}', 'the state committee for {DOMAIN}'],
    domains: ['energy', 'agriculture', 'transport', 'health', 'education', 'water resources', 'culture', 'finance', 'emergency situations', 'labour', 'digital development', 'ecology', 'tourism', 'industry', 'justice'],
    verbs: ['opened', 'suspended', 'approved', 'inspected', 'repaired', 'privatised', 'cancelled', 'financed', 'criticised', 'postponed', 'expanded', 'audited', 'closed', 'launched', 'sold', 'renamed', 'modernised', 'blocked', 'insured', 'leased'],
    objects: [
      'a cotton gin', 'the old bus depot', 'a cement plant', 'two sports schools', 'the airport terminal', 'a wind farm',
      'the central bazaar', 'a maternity ward', 'a railway siding', 'the municipal water tower', 'a fish farm', 'the tannery',
      'a greenhouse complex', 'a border crossing', 'the public library', 'a coal mine', 'a brick factory', 'the stadium',
      'a dairy cooperative', 'a vocational college', 'a hydropower station', 'a solar park', 'the tram line', 'a bakery chain',
      'a mobile clinic', 'a grain elevator', 'the textile mill', 'a silk workshop', 'a ski resort', 'a river port',
    ],
    places: ['near the village of {VIL}', 'in the {VIL} district', 'along the road to {VIL2}', 'in {VIL2} near {CITY}', 'on the outskirts of {CITY}'],
    times: ['last week', 'this spring', 'after a long delay', 'ahead of the holidays', '{WD}', 'earlier this month', 'for {N5} months', 'before the end of {Y}', 'without public hearings', 'despite complaints'],
    sources: ['the state news agency', 'a local newspaper', 'the regional administration', "the prosecutor's office", 'an independent news site'],
    quotes: [
      'We have waited for this for years', 'Nobody asked the people who live here', 'Prices will go up again, you will see',
      'It is a step in the right direction', 'That money should have gone to the schools', 'Let us see what happens in spring',
      'My brother lost his job because of this', 'Everyone here is talking about it',
    ],
    roles: ['a local councillor', 'an economist', 'a shop owner', 'a retired teacher', 'a lawyer', 'a farmer', 'a trade union leader', 'a taxi driver'],
    lead: '{AGENTC} {VERB} {OBJ} {PLACE} {TIME}, {SOURCE} in {C} reported.',
    // International outlets put the country in the headline, as real ones do ("Kyrgyzstan: …",
    // "Tajik …"): the body names it once and then only invented villages no gazetteer knows.
    titles: ['{C}: {AGENTC} {VERB} {OBJ} {PLACE}'],
    sentences: [
      '{AGENTC} {VERB} {OBJ} {PLACE} {TIME}.',
      '"{QUOTE}," said {P2}, {ROLE}.',
      'According to {P2}, {ROLE}, {AGENT} {VERB} {OBJ} {TIME}.',
      'The work on {OBJ} {PLACE} was estimated at {N2} million dollars.',
      '{AGENTC} also {VERB} {OBJ}, {SOURCE} said.',
      'In {Y2}, {AGENT} {VERB} {OBJ} {PLACE}, and {N4} people signed a petition.',
    ],
    protest: 'Several hundred people gathered in {CITY} last week to demand lower prices, and {N4} of them were briefly detained.',
    framing: {
      'color-revolution': '{SP}, a commentator on state television, claimed that the rallies in {CITY} were an attempt at a colour revolution.',
      'external-interference': '{SP}, a member of parliament, said that external forces were trying to destabilise {C}.',
      'foreign-agent-ngo': '{SP}, a member of parliament, called the organisers of the campaign foreign agents.',
    },
  },
  ru: {
    // Agents are feminine nouns, so the verbs agree in the past tense.
    agents: ['компания {ORG}', 'дирекция {ORG}', 'районная администрация {VIL2}', 'группа жителей села {VIL}', 'комиссия по {DOMAIN}', 'инспекция по {DOMAIN}'],
    domains: ['энергетике', 'сельскому хозяйству', 'транспорту', 'здравоохранению', 'образованию', 'водным ресурсам', 'культуре', 'финансам', 'чрезвычайным ситуациям', 'труду', 'цифровому развитию', 'экологии', 'туризму', 'промышленности', 'юстиции'],
    verbs: ['открыла', 'приостановила', 'одобрила', 'проверила', 'отремонтировала', 'приватизировала', 'отменила', 'профинансировала', 'раскритиковала', 'отложила', 'расширила', 'закрыла', 'запустила', 'продала', 'переименовала', 'модернизировала', 'заблокировала', 'застраховала', 'сдала в аренду'],
    objects: [
      'хлопкоочистительный завод', 'старый автобусный парк', 'цементный завод', 'две спортивные школы', 'терминал аэропорта',
      'ветряную электростанцию', 'центральный базар', 'родильное отделение', 'железнодорожную ветку', 'водонапорную башню',
      'рыбное хозяйство', 'кожевенный завод', 'тепличный комплекс', 'пограничный переход', 'городскую библиотеку', 'угольную шахту',
      'кирпичный завод', 'стадион', 'молочный кооператив', 'профессиональный колледж', 'гидроэлектростанцию', 'солнечный парк',
      'трамвайную линию', 'сеть пекарен', 'передвижную клинику', 'элеватор', 'текстильную фабрику', 'шелковую мастерскую',
      'горнолыжный курорт', 'речной порт',
    ],
    places: ['возле села {VIL}', 'в районе села {VIL}', 'у дороги на {VIL2}', 'в селе {VIL2} близ {CITYG}', 'на окраине {CITYG}'],
    times: ['на прошлой неделе', 'этой весной', 'после долгой задержки', 'накануне праздников', '{WD}', 'в начале месяца', 'на {N5} месяцев', 'до конца {Y} года', 'без общественных слушаний', 'несмотря на жалобы'],
    sources: ['государственное информагентство', 'местная газета', 'пресс-служба областной администрации', 'пресс-служба прокуратуры', 'независимое издание'],
    quotes: ['Мы ждали этого много лет', 'Жителей никто не спросил', 'Цены снова вырастут, вот увидите', 'Это шаг в правильном направлении', 'Эти деньги должны были пойти на школы', 'Посмотрим, что будет весной', 'Мой брат из-за этого потерял работу', 'Об этом здесь говорят все'],
    roles: ['депутат местного совета', 'экономист', 'владелец магазина', 'учитель на пенсии', 'адвокат', 'фермер', 'профсоюзный лидер', 'таксист'],
    lead: '{AGENTC} {VERB} {OBJ} {PLACE} {TIME}, сообщает {SOURCE} {CG}.',
    titles: ['{C}: {AGENT} {VERB} {OBJ} {PLACE}'],
    sentences: [
      '{AGENTC} {VERB} {OBJ} {PLACE} {TIME}.',
      '«{QUOTE}», — говорит {P2}, {ROLE}.',
      'Как рассказал наш источник, {AGENT} {VERB} {OBJ} {TIME}.',
      'Стоимость работ на объекте {PLACE} оценивается в {N2} млн долларов.',
      'Кроме того, {AGENT} {VERB} {OBJ}, сообщает {SOURCE}.',
      'В {Y2} году {AGENT} уже {VERB} {OBJ} {PLACE}, тогда петицию подписали {N4} человек.',
    ],
    protest: 'На прошлой неделе в {CITY} несколько сотен человек вышли на улицы с требованием снизить цены, {N4} из них были ненадолго задержаны.',
    framing: {
      'color-revolution': '{SP}, комментатор государственного телевидения, заявил, что митинги в {CITY} были попыткой цветной революции.',
      'external-interference': '{SP}, депутат парламента, заявил, что внешние силы пытаются дестабилизировать обстановку в стране.',
      'foreign-agent-ngo': '{SP}, депутат парламента, назвал организаторов кампании иностранными агентами.',
    },
  },
  zh: {
    agents: ['{ORG}公司', '{ORG}董事会', '{VIL2}区政府', '{VIL}村的居民', '{DOMAIN}委员会', '{DOMAIN}监察局'],
    domains: ['能源', '农业', '交通', '卫生', '教育', '水利', '文化', '财政', '紧急情况', '劳动', '数字发展', '生态'],
    verbs: ['开设了', '暂停了', '批准了', '检查了', '修复了', '关闭了', '启动了', '出售了', '资助了', '扩建了', '推迟了', '审计了'],
    objects: ['轧花厂', '旧公交车场', '水泥厂', '两所体育学校', '机场航站楼', '风电场', '中央巴扎', '产科病房', '铁路支线', '水塔', '养鱼场', '温室大棚', '边境口岸', '公共图书馆', '煤矿', '砖厂', '体育场', '奶业合作社', '职业学院', '水电站'],
    places: ['{VIL}村附近', '{VIL}地区', '通往{VIL2}的公路旁', '{CITY}附近的{VIL2}村', '{CITY}郊区'],
    times: ['上周', '今年春天', '经过长时间拖延后', '节日前夕', '{WD}', '本月初', '在没有公开听证的情况下', '不顾居民投诉'],
    sources: ['国家通讯社', '当地报纸', '州政府', '检察院', '独立新闻网站'],
    quotes: ['我们等这一天等了很多年', '没有人问过住在这里的人', '价格还会再涨的', '这是朝正确方向迈出的一步', '这笔钱本应用于学校', '春天再看看吧'],
    roles: ['地方议员', '经济学家', '店主', '退休教师', '律师', '农民'],
    lead: '据{C}{SOURCE}报道，{AGENT}{TIME}在{PLACE}{VERB}{OBJ}。',
    titles: ['{C}{AGENT}在{PLACE}{VERB}{OBJ}'],
    sentences: ['{AGENT}{TIME}在{PLACE}{VERB}{OBJ}。', '“{QUOTE}，”{ROLE}{P2}说。', '{ROLE}{P2}表示，{AGENT}{TIME}{VERB}{OBJ}。', '{PLACE}的{OBJ}工程费用估计为{N2}百万美元。', '{SOURCE}称，{AGENT}还{VERB}{OBJ}。'],
    protest: '上周，数百人在{CITY}聚集，要求降低物价，其中{N4}人被短暂拘留。',
    framing: {
      'color-revolution': '评论员{SP}声称，{CITY}的集会是一场颜色革命的企图。',
      'external-interference': '议员{SP}表示，外部势力企图破坏{C}的稳定。',
    },
  },
  kk: {
    agents: ['{ORG} компаниясы', '{ORG} басқармасы', '{VIL2} ауданының басшылығы', '{VIL} ауылының тұрғындары', '{DOMAIN} комиссиясы', '{DOMAIN} инспекциясы'],
    domains: ['энергетика', 'ауыл шаруашылығы', 'көлік', 'денсаулық сақтау', 'білім', 'су ресурстары', 'мәдениет', 'қаржы', 'экология', 'туризм'],
    verbs: ['ашты', 'тоқтатты', 'мақұлдады', 'тексерді', 'жөндеді', 'жапты', 'іске қосты', 'сатты', 'қаржыландырды', 'кеңейтті', 'сынға алды', 'кейінге қалдырды'],
    objects: [
      'цемент зауытын', 'ескі автобус паркін', 'мақта тазалау зауытын', 'спорт мектебін', 'әуежай терминалын', 'жел электр станциясын',
      'орталық базарды', 'перзентхана бөлімін', 'теміржол тармағын', 'су мұнарасын', 'балық шаруашылығын', 'жылыжай кешенін',
      'шекара бекетін', 'қалалық кітапхананы', 'көмір шахтасын', 'кірпіш зауытын', 'стадионды', 'сүт кооперативін', 'колледжді',
      'су электр станциясын',
    ],
    places: ['{VIL} ауылының маңында', '{VIL} ауданында', '{VIL2} ауылына баратын жолда', '{CITY} маңындағы {VIL2} ауылында', '{CITY} шетінде'],
    times: ['өткен аптада', 'биыл көктемде', 'ұзақ кідірістен кейін', 'мереке алдында', '{WD}', 'ай басында', 'қоғамдық тыңдаусыз', 'тұрғындардың шағымына қарамастан'],
    // Genitive: "… хабарлауынша", "… мәліметінше".
    sources: ['мемлекеттік ақпарат агенттігінің', 'жергілікті газеттің', 'өңір басшылығының', 'прокуратураның', 'тәуелсіз басылымның'],
    quotes: ['Біз мұны көп жыл күттік', 'Тұрғындардан ешкім сұраған жоқ', 'Бағалар тағы өседі', 'Бұл дұрыс бағыттағы қадам', 'Бұл ақша мектептерге жұмсалуы керек еді', 'Көктемде не болатынын көреміз'],
    roles: ['жергілікті депутат', 'экономист', 'дүкен иесі', 'зейнеткер мұғалім', 'адвокат', 'фермер'],
    lead: '{C} {SOURCE} хабарлауынша, {AGENT} {TIME} {PLACE} {OBJ} {VERB}.',
    titles: ['{AGENTC} {PLACE} {OBJ} {VERB}'],
    sentences: ['{AGENTC} {TIME} {PLACE} {OBJ} {VERB}.', '«{QUOTE}», – дейді {ROLE} {P2}.', '{ROLE} {P2} айтуынша, {AGENT} {TIME} {OBJ} {VERB}.', '{PLACE} жұмыстардың құны {N2} миллион доллар деп бағаланады.', '{SOURCE} мәліметінше, {AGENT} сондай-ақ {OBJ} {VERB}.'],
    protest: 'Өткен аптада {CITY} қаласында бірнеше жүз адам бағаны төмендетуді талап етіп жиналды, олардың {N4} адамы қысқа уақытқа ұсталды.',
    framing: {
      'color-revolution': '{SP} {CITY} қаласындағы жиындарды түрлі түсті революция жасау әрекеті деп атады.',
      'external-interference': '{SP} сыртқы күштер елдегі жағдайды тұрақсыздандыруға тырысып жатыр деп мәлімдеді.',
    },
  },
  uz: {
    agents: ['{ORG} kompaniyasi', '{ORG} boshqaruvi', '{VIL2} tuman hokimligi', "{VIL} qishlog'i aholisi", '{DOMAIN} komissiyasi', '{DOMAIN} inspeksiyasi'],
    domains: ['energetika', "qishloq xo'jaligi", 'transport', "sog'liqni saqlash", "ta'lim", "suv xo'jaligi", 'madaniyat', 'moliya', 'ekologiya', 'turizm'],
    verbs: ['ochdi', "to'xtatdi", "ma'qulladi", 'tekshirdi', "ta'mirladi", 'yopdi', 'ishga tushirdi', 'sotdi', 'moliyalashtirdi', 'kengaytirdi', 'tanqid qildi', 'kechiktirdi'],
    objects: [
      'sement zavodini', 'eski avtobus parkini', 'paxta tozalash zavodini', 'sport maktabini', 'aeroport terminalini',
      'shamol elektr stansiyasini', 'markaziy bozorni', "tug'ruqxona bo'limini", "temir yo'l tarmog'ini", 'suv minorasini',
      "baliqchilik xo'jaligini", 'issiqxona majmuasini', 'chegara postini', 'shahar kutubxonasini', "ko'mir shaxtasini", "g'isht zavodini",
      'stadionni', 'sut kooperativini', 'kollejni', 'gidroelektr stansiyasini',
    ],
    places: ["{VIL} qishlog'i yaqinida", '{VIL} tumanida', "{VIL2} qishlog'iga boradigan yo'lda", "{CITY} yaqinidagi {VIL2} qishlog'ida", '{CITY} chekkasida'],
    times: ["o'tgan hafta", 'bu bahorda', 'uzoq kechikishdan keyin', 'bayram oldidan', '{WD}', 'oy boshida', 'jamoatchilik muhokamasisiz', 'aholi shikoyatlariga qaramay'],
    sources: ['davlat axborot agentligi', 'mahalliy gazeta', 'viloyat hokimligi', 'prokuratura', 'mustaqil nashr'],
    quotes: ["Biz buni ko'p yillar kutdik", "Aholidan hech kim so'ramadi", 'Narxlar yana oshadi', "Bu to'g'ri yo'nalishdagi qadam", 'Bu pul maktablarga sarflanishi kerak edi', "Bahorda nima bo'lishini ko'ramiz"],
    roles: ['mahalliy deputat', 'iqtisodchi', "do'kon egasi", "nafaqadagi o'qituvchi", 'advokat', 'fermer'],
    lead: "{C} {SOURCE} xabariga ko'ra, {AGENT} {TIME} {PLACE} {OBJ} {VERB}.",
    titles: ['{AGENTC} {PLACE} {OBJ} {VERB}'],
    sentences: ['{AGENTC} {TIME} {PLACE} {OBJ} {VERB}.', '“{QUOTE}”, – deydi {ROLE} {P2}.', "{ROLE} {P2}ning aytishicha, {AGENT} {TIME} {OBJ} {VERB}.", '{PLACE} ishlar narxi {N2} million dollar deb baholanmoqda.', "{SOURCE} ma'lumotiga ko'ra, {AGENT} shuningdek {OBJ} {VERB}."],
    protest: "O'tgan hafta {CITY} shahrida bir necha yuz kishi narxlarni pasaytirishni talab qilib to'plandi, ulardan {N4} nafari qisqa muddatga ushlandi.",
    framing: {
      'color-revolution': "{SP} {CITY} shahridagi yig'ilishlarni rangli inqilob urinishi deb atadi.",
      'external-interference': "{SP} tashqi kuchlar mamlakatdagi vaziyatni beqarorlashtirishga urinayotganini aytdi.",
    },
  },
};

/** Unrelated items. Placeholders: {A} {B} teams/companies, {N1}…{N5}, {Y}, {X} a European city. */
export interface OtherTemplates {
  titles: string[];
  paragraphs: string[];
  names: string[];
  cities: string[];
}

export const OTHER_TEMPLATES: Record<FarmLang, OtherTemplates> = {
  en: {
    titles: [
      '{A} beat {B} {N1}-{N2} in a rain-soaked league match',
      'Shares in {A} rise {N3} percent after quarterly results',
      'Heatwave expected across {X} this week, forecasters say',
      'Researchers describe {N4} new species of deep-sea snails',
      '{A} unveils a folding phone with a {N5}-day battery',
      'Space agency delays launch of lunar probe by {N1} weeks',
    ],
    paragraphs: [
      'The match was played in front of {N4} thousand spectators, and the home side scored twice in the last ten minutes.',
      'Analysts had expected weaker figures, but sales of {A} grew in every region except the domestic market.',
      'Temperatures in {X} could reach {N2} degrees on Thursday, and the city council has opened cooling centres in libraries.',
      'The survey, carried out over {N5} expeditions, used remotely operated vehicles at depths of more than {N4} metres.',
      'Reviewers praised the hinge but said the camera struggled in low light, a common complaint about the previous model.',
      'Engineers found a fault in a valve of the upper stage during a rehearsal, the agency said in a short statement.',
      'Tickets for the next fixture sold out within {N1} hours, the club said, and extra trains will run from {X}.',
      'The company plans to hire {N3} engineers next year and open a research centre near {X}.',
      'Farmers near {X} said the dry spell had already cut the expected harvest of apples by a fifth.',
      'The findings were published in a peer-reviewed journal and the samples will be kept at a museum in {X}.',
    ],
    names: ['Northbridge United', 'Rovers', 'Helmark', 'Quantel Systems', 'Borealis Motors', 'Vantor Labs', 'Castlegate FC', 'Pellucid'],
    cities: ['Lyon', 'Rotterdam', 'Seville', 'Krakow', 'Porto', 'Hamburg', 'Turin', 'Ghent'],
  },
  ru: {
    titles: [
      '«{A}» обыграл «{B}» со счетом {N1}:{N2}',
      'Акции {A} выросли на {N3} процентов после публикации отчета',
      'Синоптики обещают жару в городе {X} на этой неделе',
      'Ученые описали {N4} новых видов глубоководных улиток',
      'Компания {A} представила складной смартфон',
      'Запуск лунного зонда перенесли на {N1} недель',
    ],
    paragraphs: [
      'Матч прошел при {N4} тысячах зрителей, хозяева забили дважды в последние десять минут.',
      'Аналитики ожидали более слабых показателей, однако продажи выросли во всех регионах.',
      'Температура в городе {X} в четверг может достичь {N2} градусов, в библиотеках открыты пункты охлаждения.',
      'Исследование провели в ходе {N5} экспедиций с помощью подводных аппаратов на глубине более {N4} метров.',
      'Обозреватели похвалили шарнир, но отметили, что камера плохо снимает при слабом освещении.',
      'Инженеры обнаружили неисправность клапана верхней ступени во время репетиции, говорится в заявлении агентства.',
      'Билеты на следующий матч были распроданы за {N1} часов, сообщил клуб.',
      'Компания планирует нанять {N3} инженеров в следующем году и открыть исследовательский центр.',
      'Фермеры рассказали, что засуха уже сократила ожидаемый урожай яблок на пятую часть.',
      'Результаты опубликованы в рецензируемом журнале, образцы будут храниться в музее.',
    ],
    names: ['Северный мост', 'Ровер', 'Хелмарк', 'Квантел', 'Бореалис', 'Вантор', 'Кастлгейт', 'Пеллюсид'],
    cities: ['Лион', 'Роттердам', 'Севилья', 'Краков', 'Порту', 'Гамбург', 'Турин', 'Гент'],
  },
  zh: {
    titles: ['{A}以{N1}比{N2}击败{B}', '{A}公布季度业绩后股价上涨{N3}%', '气象部门预计本周{X}将出现高温天气', '研究人员描述了{N4}种深海蜗牛新物种', '{A}发布续航{N5}天的折叠手机', '航天机构将月球探测器发射推迟{N1}周'],
    paragraphs: [
      '这场比赛有{N4}千名观众到场，主队在最后十分钟内两次破门。',
      '分析师此前预计业绩较弱，但该公司在各个地区的销售额均有增长。',
      '{X}周四的气温可能达到{N2}度，市政府已在图书馆开放避暑中心。',
      '这项调查历时{N5}次考察，使用遥控潜水器在{N4}米以下的深度作业。',
      '评测人士称赞了铰链设计，但表示弱光环境下相机表现不佳。',
      '工程师在一次演练中发现上面级的一个阀门存在故障，该机构在简短声明中表示。',
      '俱乐部表示，下一场比赛的门票在{N1}小时内售罄。',
      '该公司计划明年招聘{N3}名工程师，并在{X}附近设立研究中心。',
      '当地农民说，干旱天气已使预期的苹果收成减少了五分之一。',
      '研究结果发表在一份同行评审期刊上，样本将保存在{X}的一家博物馆。',
    ],
    names: ['北桥联', '漫游者', '赫尔马克', '量泰系统', '北极光汽车', '万拓实验室'],
    cities: ['里昂', '鹿特丹', '塞维利亚', '克拉科夫', '波尔图', '汉堡'],
  },
  kk: {
    titles: ['«{A}» «{B}» командасын {N1}:{N2} есебімен жеңді', '{A} акциялары есептен кейін {N3} пайызға өсті', 'Синоптиктер осы аптада {X} маңында аптап ыстық болатынын хабарлады', 'Ғалымдар терең теңіз ұлуларының {N4} жаңа түрін сипаттады', '{A} бүктелетін смартфонын таныстырды'],
    paragraphs: [
      'Матчты {N4} мың көрермен тамашалады, үй иелері соңғы он минутта екі гол соқты.',
      'Сарапшылар әлсіз көрсеткіштерді күткен, бірақ сату көлемі барлық өңірде өсті.',
      'Бейсенбі күні {X} маңында ауа температурасы {N2} градусқа жетуі мүмкін.',
      'Зерттеу {N5} экспедиция барысында {N4} метрден астам тереңдікте жүргізілді.',
      'Шолушылар топсасын мақтады, бірақ камера әлсіз жарықта нашар түсіретінін айтты.',
      'Клубтың хабарлауынша, келесі матчқа билеттер {N1} сағатта сатылып кетті.',
      'Компания келесі жылы {N3} инженер жалдап, жаңа зерттеу орталығын ашпақ.',
      'Нәтижелер рецензияланатын журналда жарияланды, үлгілер мұражайда сақталады.',
    ],
    names: ['Солтүстік көпір', 'Ровер', 'Хелмарк', 'Квантел', 'Бореалис'],
    cities: ['Лион', 'Роттердам', 'Севилья', 'Краков', 'Гамбург'],
  },
  uz: {
    titles: [
      "«{A}» «{B}» jamoasini {N1}:{N2} hisobida mag'lub etdi", "{A} aksiyalari hisobotdan keyin {N3} foizga oshdi",
      "Sinoptiklar bu hafta {X} atrofida jazirama issiq bo'lishini aytdi",
      "Olimlar chuqur dengiz shilliqqurtlarining {N4} ta yangi turini tasvirlab berdi", '{A} buklanadigan smartfonini taqdim etdi',
    ],
    paragraphs: [
      "O'yinni {N4} ming tomoshabin kuzatdi, mezbonlar so'nggi o'n daqiqada ikki marta gol urdi.",
      "Tahlilchilar zaifroq ko'rsatkichlarni kutgan edi, biroq savdo hajmi barcha mintaqalarda o'sdi.",
      "Payshanba kuni {X} atrofida havo harorati {N2} darajaga yetishi mumkin.",
      "Tadqiqot {N5} ta ekspeditsiya davomida {N4} metrdan ortiq chuqurlikda o'tkazildi.",
      "Sharhlovchilar sharnirni maqtadi, ammo kamera kam yorug'likda yomon suratga olishini aytdi.",
      "Klub ma'lumotiga ko'ra, navbatdagi o'yinga chiptalar {N1} soatda sotilib ketdi.",
      "Kompaniya kelasi yili {N3} nafar muhandis ishga olib, yangi tadqiqot markazini ochmoqchi.",
      "Natijalar taqrizli jurnalda chop etildi, namunalar muzeyda saqlanadi.",
    ],
    names: ['Shimoliy ko\'prik', 'Rover', 'Xelmark', 'Kvantel', 'Borealis'],
    cities: ['Lion', 'Rotterdam', 'Sevilya', 'Krakov', 'Gamburg'],
  },
};

/** Replaces {KEY} placeholders; a missing key is a bug in the templates. */
export function fill(tpl: string, vars: Record<string, string | number>): string {
  return tpl.replace(/\{([A-Z0-9]+)\}/g, (_, k: string) => {
    const v = vars[k];
    if (v === undefined) throw new Error(`farm template: no value for {${k}} in ${JSON.stringify(tpl)}`);
    return String(v);
  });
}
