/**
 * What the rule planner reads from a free-text prompt: its words (for keyword matching) and, when
 * it can find them, the product, the person in it and the place. Simple phrase rules, robust to
 * any input: nothing here throws, and a part it cannot find is left undefined.
 */
export interface PromptReading {
  /** Lower-case words in order. */
  tokens: string[];
  /** Every token and its singular form, for keyword matching. */
  words: ReadonlySet<string>;
  /** As written (`Nike running shoes`, `luxury watch`), without articles or words like "ad". */
  product?: string;
  /** A person (`a young woman`, `athletes`). */
  subject?: string;
  /** A place, with its article (`a sunny beach`, `the city`). */
  setting?: string;
}

function wordList(text: string): string[] {
  return text.split(' ');
}

const PRODUCT_MARKERS = new Set(
  wordList(
    'for of about featuring showcasing showing introducing promoting selling launching highlighting ' + 'advertising',
  ),
);
const SETTING_MARKERS = new Set(wordList('in at on through across inside around along near'));
const BOUNDARIES = new Set(
  wordList(
    'with in at on during that which who where while when for to and by from under over near inside ' +
      'through across into featuring showing using against as like but so then or starring before ' +
      'after around behind set along without is are being makes making',
  ),
);
const ARTICLES = new Set(wordList('a an the'));
const FILLERS = new Set([
  ...ARTICLES,
  ...wordList(
    'our my your their his her its this these those some new brand-new ad ads advert adverts ' +
      'advertisement commercial video promo promotional spot clip film teaser trailer reel short quick ' +
      'simple cinematic epic dramatic energetic dynamic fun playful vibrant stunning beautiful amazing ' +
      'awesome cool exciting upbeat moody bold stylish high-energy fast-paced second seconds sec secs ' +
      'minute minutes long make create generate produce design want need please i we me us shot shots ' +
      'scene scenes product products style showcase presentation',
  ),
]);
const PEOPLE = new Set(
  wordList(
    'woman women man men person people girl girls boy boys child children kid kids family friends ' +
      'couple athlete athletes runner runners model models chef dancer dancers skater skaters surfer ' +
      'surfers player players team student students professional mother father mom mum dad baby teen ' +
      'teenager teenagers businessman businesswoman hiker hikers cyclist cyclists climber musician ' +
      'singer barista gamer gamers grandmother grandfather influencer traveler traveller worker farmer ' +
      'artist artists parent parents moms dads mothers fathers families couples teens adult adults ' +
      'seniors customers users commuters shoppers',
  ),
);
const NOT_PLACES = new Set(
  wordList(
    'style mood tone tones color colors colour colours motion lighting light focus frame format ' +
      'resolution way manner form shape end beginning background foreground spirit vein hand hands ' +
      'time seconds second',
  ),
);
const MAX_PHRASE_WORDS = 5;

/** Reads `prompt` (already trimmed and non-empty). */
export function readPrompt(prompt: string): PromptReading {
  const tokens = tokenize(prompt);
  const clauses = splitClauses(prompt);
  const product = findProduct(clauses);
  const subject = findSubject(clauses);
  const setting = findSetting(clauses);
  return {
    tokens,
    words: wordSet(tokens),
    ...(product ? { product } : {}),
    ...(subject ? { subject } : {}),
    ...(setting ? { setting } : {}),
  };
}

/** The lower-case words of `text` (letters and digits, inner hyphens and apostrophes kept). */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu) ?? [];
}

/** How many of `keywords` occur in `words` (singular and plural alike). */
export function countMatches(words: ReadonlySet<string>, keywords: readonly string[]): number {
  return keywords.filter((keyword) => words.has(keyword) || words.has(singular(keyword))).length;
}

function wordSet(tokens: readonly string[]): Set<string> {
  const words = new Set<string>();
  for (const token of tokens) {
    words.add(token).add(singular(token));
    for (const part of token.split('-')) words.add(part);
  }
  return words;
}

function singular(word: string): string {
  if (word.length <= 3 || !word.endsWith('s') || /(ss|us|is)$/.test(word)) return word;
  return word.endsWith('ies') ? `${word.slice(0, -3)}y` : word.slice(0, -1);
}

interface Word {
  text: string;
  lower: string;
}

function splitClauses(prompt: string): Word[][] {
  return prompt
    .split(/[,.;:!?()[\]{}"“”\n]+/)
    .map((clause) =>
      clause
        .split(/\s+/)
        .map((raw, index) => cleanWord(raw, index === 0))
        .filter((word): word is Word => word !== undefined),
    )
    .filter((clause) => clause.length > 0);
}

function cleanWord(raw: string, clauseStart: boolean): Word | undefined {
  const text = raw.replace(/^[^\p{L}\p{N}&]+|[^\p{L}\p{N}&]+$/gu, '');
  if (text === '') return undefined;
  const lower = text.toLowerCase();
  const plainCapital = clauseStart && text.slice(1) === lower.slice(1);
  return { text: plainCapital ? lower : text, lower };
}

function findProduct(clauses: readonly Word[][]): string | undefined {
  for (const clause of clauses) {
    for (let i = 0; i < clause.length - 1; i++) {
      if (!PRODUCT_MARKERS.has((clause[i] as Word).lower)) continue;
      const found = productFrom(phraseAfter(clause, i + 1));
      if (found) return found;
    }
    const found = productFrom(lastWords(stripFillers(phraseAfter(clause, 0)), 4));
    if (found) return found;
  }
  return undefined;
}

function productFrom(phrase: readonly Word[]): string | undefined {
  let words = stripFillers(phrase);
  const person = words.findIndex((word) => PEOPLE.has(word.lower));
  if (person >= 0) {
    const verb = words.findIndex((word, index) => index > person && word.lower.endsWith('ing'));
    words = verb >= 0 ? stripFillers(words.slice(verb + 1)) : [];
  }
  return words.length > 0 ? joinWords(words) : undefined;
}

function findSubject(clauses: readonly Word[][]): string | undefined {
  for (const clause of clauses) {
    const at = clause.findIndex((word) => PEOPLE.has(word.lower));
    if (at < 0) continue;
    const phrase: Word[] = [clause[at] as Word];
    for (let j = at - 1; j >= Math.max(0, at - 3); j--) {
      const word = clause[j] as Word;
      if (BOUNDARIES.has(word.lower) || PRODUCT_MARKERS.has(word.lower) || /\d/.test(word.lower)) break;
      if (!ARTICLES.has(word.lower) && FILLERS.has(word.lower)) break;
      phrase.unshift(word);
      if (ARTICLES.has(word.lower)) break;
    }
    const text = joinWords(phrase);
    const first = (phrase[0] as Word).lower;
    if (ARTICLES.has(first) || /s$|^(people|men|women|children)$/.test(clause[at]?.lower ?? '')) return text;
    return `${/^[aeiou]/.test(first) ? 'an' : 'a'} ${text}`;
  }
  return undefined;
}

function findSetting(clauses: readonly Word[][]): string | undefined {
  for (const clause of clauses) {
    for (let i = 0; i < clause.length - 2; i++) {
      if (!SETTING_MARKERS.has((clause[i] as Word).lower) || !ARTICLES.has((clause[i + 1] as Word).lower)) continue;
      const phrase = [clause[i + 1] as Word, ...phraseAfter(clause, i + 2)];
      if (phrase.length < 2 || phrase.some((word) => NOT_PLACES.has(word.lower) || PEOPLE.has(word.lower))) continue;
      return joinWords(phrase);
    }
  }
  return undefined;
}

/** Words from `start` up to the next boundary word, at most `MAX_PHRASE_WORDS + 2`. */
function phraseAfter(clause: readonly Word[], start: number): Word[] {
  const phrase: Word[] = [];
  for (const word of clause.slice(start)) {
    if (BOUNDARIES.has(word.lower) || phrase.length >= MAX_PHRASE_WORDS + 2) break;
    phrase.push(word);
  }
  return phrase;
}

function stripFillers(words: readonly Word[]): Word[] {
  let from = 0;
  let to = words.length;
  while (from < to && isFiller(words[from] as Word)) from++;
  while (to > from && isFiller(words[to - 1] as Word)) to--;
  return words.slice(from, to).slice(0, MAX_PHRASE_WORDS);
}

function isFiller(word: Word): boolean {
  return FILLERS.has(word.lower) || /^\d+(s|sec|secs|seconds?|-second)?$/.test(word.lower);
}

function lastWords(words: readonly Word[], count: number): Word[] {
  return words.slice(Math.max(0, words.length - count));
}

function joinWords(words: readonly Word[]): string {
  return words.map((word) => word.text).join(' ');
}
