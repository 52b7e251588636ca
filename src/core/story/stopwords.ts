// Function words that carry no story identity, for English and Russian (written for this project).
// Kept short on purpose: corpus IDF already discounts frequent content words; these lists only
// remove words so common that even a small batch cannot learn they are uninformative.
// Russian entries are given in their full forms; `isStopword` also checks the stem.

const EN = `a about above after again against all almost also although am among an and another any are
around as at be because been before being below between both but by can could did do does doing done
down during each either else ever every few for from further had has have having he her here hers
herself him himself his how however i if in into is it its itself just least less like made make many
may me might more most much must my myself near neither no nor not now of off often on once one only
or other others our ours ourselves out over own per perhaps quite rather same she should since so some
still such than that the their theirs them themselves then there these they this those though through
thus to too toward towards under until up upon us very via was we were what when where whether which
while who whom whose why will with within without would yet you your yours yourself yourselves
said says say saying told tell according also new year years day days week weeks time times mr mrs ms
dr st just including included include includes around since per cent percent will would get got getting
one two three four five six seven eight nine ten first second third last next many much several`;

const RU = `а без более бы был была были было быть в вам вас весь во вот все всего всех вы где да даже для
до его ее её если есть еще ещё же за здесь и из или им их к как ко когда кто ли либо между меня мне
может мы на над надо наш не него нее неё нет ни них но ну о об однако он она они оно от очень по под
при с со так также такой там те тем то того тоже той только том ты у уже хотя чего чей чем что чтобы
чье чья эта эти это этого этой этом этот я который которая которые которого которой котором которых
свой своя свои своего своей своих сам сама сами себя себе всё всю всем всеми этих этим этими тех
тому чему ему ей ним ней нём нем будет будут было были стал стала стали году года лет год день дня
сообщил сообщила сообщили заявил заявила заявили сказал сказала отметил отметила рассказал
рассказала также ранее после перед через около более менее один одна одно два две три четыре пять
первый первая первые второй время раз сейчас сегодня вчера пока уже ещё её`;

function toSet(s: string): ReadonlySet<string> {
  return new Set(s.split(/\s+/u).filter(Boolean));
}

export const STOPWORDS_EN = toSet(EN);
export const STOPWORDS_RU = toSet(RU);

export function isStopword(lowerWord: string): boolean {
  return STOPWORDS_EN.has(lowerWord) || STOPWORDS_RU.has(lowerWord);
}
