// The web view's stylesheet, served as /web/style.css (CSP: style-src 'self', no inline style).
// Kept as a string so the build (tsc) ships it with the code. Colours pass WCAG AA contrast; one
// column under 600 px; focus is always visible for keyboard users.
export const WEB_CSS = `
:root{--fg:#1b1f24;--muted:#4a5562;--bg:#fff;--line:#d6dbe1;--accent:#0b5cad;--state:#8a1c1c;--public:#1d5e2f;--indep:#4b3a8c;--bg2:#f4f6f8}
*{box-sizing:border-box}
html{font-size:100%}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--fg);background:var(--bg);overflow-wrap:anywhere}
a{color:var(--accent)}
a:focus-visible,button:focus-visible,input:focus-visible,summary:focus-visible{outline:3px solid #e8a317;outline-offset:2px}
.skip{position:absolute;left:-9999px}
.skip:focus{left:1rem;top:1rem;background:var(--bg);padding:.5rem;z-index:2}
.top{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center;padding:.75rem 1.25rem;border-bottom:1px solid var(--line);background:var(--bg2)}
.brand{font-weight:700}
.top ul{display:flex;flex-wrap:wrap;gap:1rem;list-style:none;margin:0;padding:0}
.top a[aria-current]{font-weight:700;text-decoration:none;color:var(--fg)}
main{max-width:60rem;margin:0 auto;padding:1rem 1.25rem 2rem}
footer{max-width:60rem;margin:0 auto;padding:0 1.25rem 2rem;color:var(--muted);font-size:.875rem}
h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0}
h2{font-size:1.2rem;margin:1.75rem 0 .5rem;border-bottom:1px solid var(--line);padding-bottom:.25rem}
h3{font-size:1rem;margin:1rem 0 .25rem}
.meta{color:var(--muted);margin:.25rem 0}
.summary{font-size:1.05rem}
.badge{display:inline-block;font-size:.8rem;line-height:1.2;padding:.1rem .4rem;border-radius:.25rem;border:1px solid currentColor;white-space:nowrap}
.badge.state{color:var(--state)}
.badge.public{color:var(--public)}
.badge.independent{color:var(--indep)}
.badge.unknown{color:var(--muted)}
.badge.bg{color:#6b4e00;background:#fff4d6}
.cols{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:1.5rem}
ol.outlets,ul.trail,ul.evidence,ol.cards{padding-left:1.25rem}
ol.outlets li,ol.cards>li{margin:.5rem 0}
ul.evidence li{margin:.5rem 0}
blockquote{margin:.25rem 0;padding:.25rem .75rem;border-left:4px solid var(--line);background:var(--bg2)}
blockquote.background{border-left-color:#c99a2e}
.who{color:var(--muted)}
.tags{display:flex;flex-wrap:wrap;gap:.35rem;list-style:none;padding:0;margin:.25rem 0}
.tags li{background:var(--bg2);border:1px solid var(--line);border-radius:1rem;padding:0 .6rem;font-size:.875rem}
form.search{display:flex;flex-wrap:wrap;gap:.5rem;margin:1rem 0}
form.search input[type=search]{flex:1 1 16rem;font:inherit;padding:.5rem;border:1px solid var(--muted);border-radius:.25rem}
form.search button{font:inherit;padding:.5rem 1rem;border:1px solid var(--accent);background:var(--accent);color:#fff;border-radius:.25rem}
.pager{display:flex;gap:1rem;margin:1rem 0}
table{border-collapse:collapse;width:100%;font-size:.925rem}
th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
.bad{color:var(--state);font-weight:600}
.ok{color:var(--public)}
.chart svg{max-width:100%;height:auto}
.notice{padding:.75rem 1rem;border:1px solid var(--line);background:var(--bg2);border-radius:.25rem}
@media (max-width:600px){
.cols{grid-template-columns:minmax(0,1fr)}main{padding:.75rem}h1{font-size:1.35rem}
table,thead,tbody,tr,th,td{display:block}thead{position:absolute;left:-9999px}td{border:0;padding:.15rem 0}
tr{border-bottom:1px solid var(--line);padding:.5rem 0}td[data-label]::before{content:attr(data-label) ": ";font-weight:600}
}
`;
