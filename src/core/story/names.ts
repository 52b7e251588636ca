// Names that decide whether two reports in different scripts tell one event, beyond those the
// analysis finds: foreign leaders, ministers, spokespeople, organisations and places that Central
// Asia news quotes, and Chinese forms of the region's own names, so that "Wei Fenghe", "Вэй Фэнхэ"
// and "魏凤和" are one key (`e:person:wei-fenghe`) for story matching. The names are data: the
// `xs` forms of data/gazetteer.yaml's entries (its `others:` section holds the foreign ones),
// read by adapters/analysis-data.ts (`storyNames`) and passed in compiled; this module holds no
// table and no state of its own. Matching: Latin and Cyrillic forms word by word on stems (so
// Russian case endings match: "Си Цзиньпина", "Путину"), Chinese forms as substrings.
import { stem, type Token } from './text.js';

/** An entity's cross-script forms, as the gazetteer lists them (`xs`). */
export interface NameForms {
  id: string;
  forms: readonly string[];
}

/** The compiled table `crossScriptNames` matches with (compileNames). */
export interface CrossScriptNames {
  /** First word's stem → the names that start with it (words as stems). */
  byFirst: Map<string, { words: string[]; id: string }[]>;
  zh: { form: string; id: string }[];
}

const HAN = /\p{Script=Han}/u;

/** Compiles the names, in the order given (the order their matches are reported in). */
export function compileNames(entries: readonly NameForms[]): CrossScriptNames {
  const byFirst = new Map<string, { words: string[]; id: string }[]>();
  const zh: { form: string; id: string }[] = [];
  for (const { id, forms } of entries) {
    for (const form of forms) {
      if (HAN.test(form)) continue;
      const words = (form.toLowerCase().replace(/ё/gu, 'е').match(/[\p{L}\p{M}'’]+/gu) ?? []).map((w) => stem(w.replace(/['’]/gu, '')));
      if (words.length === 0) continue;
      const list = byFirst.get(words[0]!) ?? [];
      list.push({ words, id });
      byFirst.set(words[0]!, list);
    }
    for (const form of forms) if (HAN.test(form)) zh.push({ form, id });
  }
  return { byFirst, zh };
}

/**
 * Entity ids (`person:wei-fenghe`) of the names of the table `c` that the text names, in any of
 * its scripts; `toks` are the text's tokens (title and body), `hanText` its text when it has
 * Chinese characters (else ''). A Latin or Cyrillic name must be capitalised where it stands.
 */
export function crossScriptNames(c: CrossScriptNames, toks: readonly Token[], hanText: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i < toks.length; i++) {
    // the word's name facts, worked out once per distinct word (text.ts `Word`): capitalised (or
    // "von"/"фон"), and its stem without apostrophes
    const w = toks[i]!.word;
    if (!w.nameStart) continue;
    const list = c.byFirst.get(w.nameStem);
    if (!list) continue;
    for (const n of list) {
      let ok = true;
      for (let k = 1; k < n.words.length && ok; k++) {
        const u = toks[i + k];
        ok = u !== undefined && u.word.nameStem === n.words[k];
      }
      if (ok) out.add(n.id);
    }
  }
  if (hanText) for (const z of c.zh) if (hanText.includes(z.form)) out.add(z.id);
  return [...out];
}
