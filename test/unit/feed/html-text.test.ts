import { describe, expect, it } from 'vitest';
import { htmlToText, titleText } from '../../../src/core/feed/parse/html-text.js';

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
