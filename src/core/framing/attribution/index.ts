// Who voices a frame: a quoted or reported speaker ("Wei Fenghe", "Tokayev", "the Defense
// Ministry"), or null for the outlet's own voice. Attribution is decided per trigger, not per
// sentence: in "Protests turned violent, and the president called the unrest a coup" only the
// coup is the president's.
//
// A sentence is read as speech acts, each a speaker and the span of the sentence it voices:
//   inner   a reporting verb after its subject voices what follows it: "Tokayev claimed that
//           …", "the Kazakh leader called the unrest a coup", "Lavrov accused the West of …",
//           "…, adding that …" (the speaker before), Kazakh/Uzbek/Kyrgyz "Тоқаев … деп
//           мәлімдеді" (the verb ends the sentence, its subject starts it), "X's claim that …"
//   outer   a reporting clause at the end voices what precedes it: "…, Wei noted", "…,” said
//           X", "…, defense minister tells Tokayev", "«…», — заявил Лавров", "…：外交部发言人
//           表示"; so do "according to X", "по словам X", "据X", "X айтуынша", and the headline
//           forms "Lavrov: …", "…: Lavrov", "… — Лавров"
//   stance  a verb of stance ("opposes", "condemned", "urged") voices what follows it
// A trigger takes the nearest inner act before it (the innermost reported voice: in "Lavrov
// claimed X, the ministry said", X is Lavrov's), else the outer act around it, else the stance
// act (in "China opposes X, defense minister tells Y" the minister speaks, China is what he
// says), else nothing: the outlet's voice. A sentence with no act of its own that continues a
// quotation takes the speaker of the quotation: the one named where it closes ("“A. B,” Wang
// said"), or where it was introduced ("Wang said:", "The ministry quoted the minister:").
//
// Speakers are then resolved within the article: a surname or an inflected name to the full
// name written earlier ("Wei" → "Wei Fenghe", "Токаева" → "Касым-Жомарт Токаев"), a role
// ("the Kazakh leader", "the minister", "defense minister", "глава МИД", "该部长") to the person
// the text gave that role ("Kazakh President Kassym-Jomart Tokayev", "Minister of National
// Defense Wei Fenghe", "Tokayev, the Kazakh president,"), or to the head of state the
// gazetteer knows; a pronoun to the last person who spoke. A role nobody was given stays as
// written ("the Defense Ministry", "外交部发言人").
//
// The parts: roles.ts (the speaker lexicon of data/speakers.yaml: offices, countries, words
// that name nobody), speech.ts (the reporting verbs, compiled), acts.ts (speech acts of an
// English, Russian or Turkic sentence), acts-zh.ts (of a Chinese one), attributor.ts (choice
// of act and resolution within the article).
export { Attributor, type KnownName } from './attributor.js';
export { compileSpeech, type CompiledSpeech, type SpeechLexicon } from './speech.js';
export { compileSpeakers, type Roles, type SpeakerLexicon } from './roles.js';
