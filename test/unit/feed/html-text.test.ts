import { describe, expect, it } from 'vitest';
import { htmlToText, htmlToTextFull, oneLine, simpleHtmlText, titleText } from '../../../src/core/feed/parse/html-text.js';

describe('htmlToText', () => {
  it('drops script, style and their content', () => {
    expect(htmlToText('<p>Before</p><script>alert("x")</script><style>p{color:red}</style><p>After</p>')).toBe('Before\nAfter');
  });

  it('decodes entities, named and numeric', () => {
    expect(htmlToText('Caf&eacute; &amp; bar &#8212; &#x41;&nbsp;B &laquo;Q&raquo;')).toBe('Café & bar — A B «Q»');
  });

  it('turns block elements into line breaks and collapses spaces within lines', () => {
    expect(htmlToText('<h1>Title</h1>\n\n<p>First   paragraph\n continues.</p><ul><li>one</li><li>two</li></ul>Line<br>break')).toBe(
      'Title\nFirst paragraph continues.\none\ntwo\nLine\nbreak',
    );
  });

  it('keeps inline text together and survives broken markup', () => {
    expect(htmlToText('<p>An <b>important <i>story</p> from <a href="x">Astana')).toBe('An important story\nfrom Astana');
    expect(htmlToText('<div><<<>>> 3 < 4 & 5 > 2')).toBe('<<<>>> 3 < 4 & 5 > 2');
  });

  it('leaves plain text alone apart from whitespace', () => {
    expect(htmlToText('  plain\ttext \n second  line ')).toBe('plain text\nsecond line');
    expect(htmlToText(null)).toBe('');
  });
});

describe('titleText', () => {
  it('is one line without markup', () => {
    expect(titleText('<b>China</b> warns of\n"color revolution" &amp; more')).toBe('China warns of "color revolution" & more');
    expect(titleText('<p>Entry Title</p>')).toBe('Entry Title');
  });

  it('leaves a lone "<" or "&" that is not markup alone', () => {
    expect(titleText('a<b and 5 < 6')).toBe('a<b and 5 < 6');
    expect(titleText('Q&A: AT&T')).toBe('Q&A: AT&T');
    expect(titleText('x &lt;y&gt; &amp; z')).toBe('x <y> & z');
  });
});

// The simple path (html-text.ts simpleHtmlText) must give htmlparser2's text wherever it answers.
describe('htmlToText: the simple path and htmlparser2 agree', () => {
  // Tags of the subset; tags and markup outside it (htmlparser2 reads those); text, entities, whitespace.
  const tags = [
    '<p>', '</p>', '<P class="x">', '<div>', '</div>', '<br>', '<br/>', '</br>', '<BR />', '<img src="a.jpg" alt="">', '<img src=a.jpg>',
    '<img/>', '</img>', '<hr>', '<hr/>', '</hr>', '<a href="http://x/?a=1&amp;b=2">', '<a href=x>', '</a>', '<b>', '</b>', '<i>', '</i>',
    '<em>', '</em>', '<strong>', '</strong>', '<span style=\'c:d\'>', '</span>', '<ul>', '</ul>', '<ol>', '</ol>', '<li>', '</li>',
    '<h2>', '</h2>', '<h3 id="t">', '</h3>', '<blockquote>', '</blockquote>', '<figure>', '</figure>', '<figcaption>', '</figcaption>',
    '<dl>', '<dt>', '</dt>', '<dd>', '</dd>', '</dl>', '<p/>', '<div/>', '<b/>', '<section>', '</section>', '<p class=x/>', '<br class=x/>',
    '<P>', '</EM>', '<Br>', '<h1>', '</h1>', '<sub>', '</sub>', '<b >', '</b >',
  ];
  const outside = ['<table>', '<td>', '</td>', '<script>x</script>', '<!-- c -->', '<a b"c>', '</p x>', '<weird>', '</weird>', '< p>', 'a < b'];
  const texts = [
    'Астана', 'word', ' ', '  ', '\n', '\r\n', '\t', '\u00a0', '\u200b', '\u2028', '\ufeff', ' end ', '&amp;', '&lt;', '&gt;', '&quot;', '&apos;', '&nbsp;',
    '&#39;', '&#x41;', '&#8212;', '&#128512;', '&#150;', '&#0;', '&#x110000;', '&eacute;', '&amp', 'AT&T', '&#xD800;', 'x>y', '中文',
    '\u3000', '\u1680', '\u00ad', '\u202f', '\x01', 'a  b', 'Ж ж',
  ];
  // A small deterministic generator (mulberry32), so a failure names its seed.
  const rng = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  it('on 20,000 generated fragments (and the simple path answers most of those inside the subset)', () => {
    let simple = 0;
    for (let seed = 1; seed <= 20_000; seed++) {
      const r = rng(seed);
      const n = 1 + Math.floor(r() * 16);
      const pick = (list: string[]) => list[Math.floor(r() * list.length)]!;
      const html = Array.from({ length: n }, () => {
        const x = r();
        return x < 0.55 ? pick(tags) : x < 0.58 ? pick(outside) : pick(texts);
      }).join('');
      const fast = simpleHtmlText(html);
      if (fast === null) continue;
      simple += 1;
      expect(fast, `seed ${seed}: ${JSON.stringify(html)}`).toBe(htmlToTextFull(html));
    }
    expect(simple).toBeGreaterThan(5_000);
  });

  it('decodes entities in any text run, before and after runs without one', () => {
    const html = `<p>no entity</p>\n<p>one &amp; two</p><p>none</p>${'<p>plain text</p>'.repeat(50)}<p>late &#8212; &lt;</p><p>last</p>`;
    expect(simpleHtmlText(html)).toBe(htmlToTextFull(html));
    expect(simpleHtmlText(html)).toContain('late — <\nlast');
  });

  it('leaves to htmlparser2 what it does not know', () => {
    for (const html of ['<table><td>a</td></table>', '<p>a<!-- b --></p>', '<a b"c>x</a>', 'a &eacute; b', '<p>a &#150; b</p>', 'x < y <b>z</b>', '<title>t</title>']) {
      expect(simpleHtmlText(html), html).toBeNull();
    }
    expect(htmlToText('<p>a &#150; b</p>')).toBe('a – b');
  });

  it('plain text and one-line text take a shortcut only where the long way would change nothing (20,000 generated strings)', () => {
    const pieces = ['word', 'Астана', ' ', '  ', '\n', '\r\n', '\t', '\v', '\f', '\u00a0', '\u200b', '\u2028', '\ufeff', '\u3000', '\u1680', '\u00ad', '\u202f', '\u2060', '\u0085', '\x01', '5 < 6', 'Q&A', '中文'];
    for (let seed = 1; seed <= 20_000; seed++) {
      const r = rng(seed);
      const text = Array.from({ length: Math.floor(r() * 8) }, () => pieces[Math.floor(r() * pieces.length)]!).join('');
      expect(oneLine(text), `seed ${seed}: ${JSON.stringify(text)}`).toBe(text.replace(/\s+/g, ' ').trim());
      // Without markup: one line per line, spaces collapsed and lines trimmed, blank lines dropped, invisible characters removed.
      if (/[<&]/.test(text)) continue;
      const lines = text.replace(/[\u00ad\u200b-\u200d\u2060\ufeff]/g, '').split(/[\n\r\u2028\u2029]/);
      expect(htmlToText(text), `seed ${seed}: ${JSON.stringify(text)}`).toBe(lines.map((l) => l.replace(/\s+/g, ' ').trim()).filter(Boolean).join('\n'));
    }
  });
});
