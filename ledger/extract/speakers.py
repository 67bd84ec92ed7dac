"""Who makes each forecast: reporting frames, and the people, groups and organisations they name.

A claim belongs to the subject of the reporting verb that governs it: before the clause ("Jane Roe,
chief economist at a bank, said …", "15 of the 18 economists expect …", "Markets are pricing in …",
"Experts at the institute see odds of …"), after it ("…, officials in all three capitals say", "“…,”
said Jane Roe, a pollster."), or "according to X". A subject is read as a group by its plural noun
("analysts polled by X" → analysts; "N of M economists", "a majority of those polled", "the rest" →
the group last named; "some"; "others" → "other economists"), as a person by a name after any title
("Unification Minister Chung Dong-young") with the title and any apposition kept as affiliation, as a
person named before (by family name, or "he"/"she"), or as an organisation ("Castleford Town", "the
institute" → the institute last named). A frame that reports a belief gives the claim to the believer
("said Y believes …"); a claim headed "Name:" is Name's; bookmakers named with a price ("favourite with
most bookmakers") are its speaker. A quotation with no frame of its own goes on in the voice of the
previous one, or of the speaker named where it closes; an interview's answer is the interviewee's.
What is left is the article's own voice: the newsroom.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from ledger.extract.clauses import CONSEQUENCE, CONTINUES, ending, inside_quotation, search_from, word_char
from ledger.extract.numbers import number_word


@dataclass(frozen=True)
class Speaker:
    id: str
    name: str
    kind: str  # person | collective | organisation
    affiliation: str | None = None


def slug(text: str) -> str:
    """"Mara Ilić" → "mara-ilic": accents folded, so a name keeps all its letters."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower().replace("’", "").replace("'", "")).strip("-")


def group(noun: str) -> Speaker:
    noun = noun.lower()
    return Speaker(slug(noun), f"{noun[:1].upper()}{noun[1:]} (unnamed)", "collective")


_SPEECH = (r"said|says|say|told|tells|tell|added|adds|noted|notes|note|cautioned|cautions|caution|warned|warns|warn|argued|argues|"
           r"argue|wrote|writes|insisted|insists|insist|stressed|stresses|explained|explains|suggested|suggests|suggest|"
           r"pointed\s+(?:out|to)|points\s+(?:out|to)|point\s+(?:out|to)|maintained|maintains|maintain|contended|contends|contend|"
           r"acknowledged|conceded|concedes|claimed|claims|asserted|asserts|observed|remarked|emphasi[sz]ed|reckons?|thinks?(?!\s+tanks?\b)|"
           r"thought|believes?|believed|agreed|agrees|agree|replied|responded|cautions|predicted|predicts|predict|forecasts?|"
           r"expects?|expected|anticipates?|anticipated|estimates?|estimated|projects|projected|foresees?|doubts?|doubted|"
           r"fears?|feared|sees?|saw|gives?|gave|puts?|put|makes?|making|offers?|offered|found|finds|showed|shows|show|bet|bets|"
           r"(?:are|is)\s+betting|(?:(?:are|is)\s+)?pricing(?:\s+in)?|price|"
           r"priced\s+in|(?:is|are|was|were|remains?|remain)\s+(?:very\s+|fairly\s+)?(?:confident|doubtful|sceptical|"
           r"skeptical|convinced|optimistic|pessimistic|hopeful)")
_FRAME = re.compile(rf"\b(?:{_SPEECH})\b")
_PASSIVE = re.compile(r"(?:\b(?:is|are|was|were|be|been|being|had|as|to|the|a|an|its|their|his|her|this|that)|[’']s)\s+(?:\w+ly\s+)?$",
                      re.IGNORECASE)
_POST_VERB = r"said|says|say|told|added|adds|noted|warned|cautioned|argued|wrote|insisted|explained|stressed|predicted|estimated|reported"
_POST_TAIL = (r"(?=\s*(?:[.,;:!?]|$)|\s(?:on|in|at|last|this|during|to|after|before|ahead|yesterday|today|recently|earlier|later|"
              r"late|when|while|as|adding|noting|citing|according|referring|\w+day)\b|(?<=told)\s+(?:[\w.]+\s?){1,4}(?=[.,;]|$))")
_NOT_A_SUBJECT = r"(?!(?:and|but|or|that|which|who|while|though|although|as|if|when|because|so|with|where|including|adding|noting)\b)"
_POST = re.compile(rf"(?:,|[”\"])\s*[”\"]?\s*(?P<subj>{_NOT_A_SUBJECT}[^,;:“”\"()]{{1,60}}?(?:,\s[^,;:“”\"]{{2,140}}?,)?)\s+"
                   rf"(?:has\s+|have\s+)?(?P<verb>{_POST_VERB})\b{_POST_TAIL}")
_POST_INVERTED = re.compile(rf"(?:,|[”\"])\s*[”\"]?\s*(?:{_POST_VERB})\s+(?P<subj>[^,;:“”\"]{{1,60}}?)(?:,\s(?P<app>[^;“”\"]{{2,200}}?))?"
                            r"\s*(?:[.!?][”\"]?\s*$|$)")
_ACCORDING = re.compile(r"\baccording\s+to\s+(?P<subj>[^,;:“”\"()]{2,90}?)(?:,\s(?P<app>(?:a|an|the|now|former)\s[^,;“”\"]+?|"
                        r"[a-z][^,;“”\"]+?)(?=,|\.|$))?(?=[,.;:]|\s+(?:on|in|at|last|this)\s|$)", re.IGNORECASE)
_WITH = re.compile(r",?\s*with\s+(?P<subj>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)\s+(?:warning|saying|adding|noting|arguing|predicting|cautioning)\b")
_ADVERBIAL = re.compile(r"(?:however|though|too|also|meanwhile|for example|for instance|in turn|in contrast|by contrast|on the other hand|"
                        r"for (?:their|his|her|its) part|as well|in particular|still|instead|in addition|moreover|nonetheless|"
                        r"nevertheless|for now|so far|in (?:a|an|the) \w+(?: \w+)?|last \w+|on \w+day)", re.IGNORECASE)
_CONNECTIVE = re.compile(r"^(?:and|but|or|so|yet|however|still|meanwhile|also|while|though|whereas|which|that)\b[\s,]*", re.IGNORECASE)
_SOURCE_OF = re.compile(r"^(?:an?|the)\s+(?:[\w-]+\s+){0,3}?(?:forecast|report|study|survey|poll|analysis|estimate|projection|note|"
                        r"statement|model|review)\s+(?:by|from|of)\s+(?P<rest>.+)$", re.IGNORECASE)
_OWNED_SOURCE = re.compile(r"^(?P<rest>.+?)[’']s\s+(?:[\w-]+\s+){0,2}?(?:forecast|report|study|survey|poll|analysis|estimate|"
                           r"projection|model|outlook|simulation)s?$")
_QUANTITY = re.compile(r"^(?:(?:a|the)\s+)?(?:(?:nearly|almost|about|roughly|more\s+than|over|just|only|fewer\s+than|less\s+than|some)\s+)?"
                       r"(?P<q>[\w.,-]+?)(?:\s*%|\s+percent|\s+per\s+cent)?\s+(?:of|in)\s+"
                       r"(?:the\s+|those\s+|these\s+)?(?:\d+\s+|[a-z]+\s+(?=\w+s\b))?(?P<rest>.+)$", re.IGNORECASE)
_QUANTIFIERS = {"majority", "minority", "half", "third", "quarter", "two-thirds", "three-quarters", "most", "some", "many", "all",
                "none", "each", "several", "few", "one-third", "one-quarter"}
# Words after a subject that are not part of it ("Analysts have also", "Lin now"): each after a space.
_AUXILIARY = re.compile(r"has|have|also|still|now|again|already|all|both|themselves|[a-z]+ly")
_SUBORDINATE = re.compile(r"\b(?:after|before|when|because|since|while|although|though|once|until|unless|whereas|if)\s+")
_POLLED = re.compile(r"^(?:those\s+)?(?:polled|surveyed|asked|questioned|interviewed|sampled)\b", re.IGNORECASE)
_STOP_WORD = re.compile(r"^(?:at|in|on|of|for|from|by|with|who|that|which|and|or|across|around|near|inside|outside|within|"
                        r"familiar|close|involved|knowledgeable|aware|such|like|\w+ing|\w+ed)$")
# Plural nouns for groups of people, for a subject that opens a sentence with a capital ("Markets are
# pricing in …"); in lower case any plural noun is read as a group.
_GROUP_NOUNS = {
    "academics", "activists", "advisers", "advisors", "agents", "aides", "allies", "analysts", "authorities", "bankers", "bettors",
    "bookmakers", "brokers", "businesses", "campaigners", "citizens", "climatologists", "coaches", "commanders", "commentators",
    "companies", "consumers", "critics", "dealers", "delegates", "demographers", "diplomats", "doctors", "economists", "engineers",
    "epidemiologists", "executives", "experts", "fans", "farmers", "firms", "forecasters", "generals", "historians", "insiders",
    "investors", "judges", "justices", "lawmakers", "lawyers", "leaders", "legislators", "lenders", "managers", "markets", "members",
    "meteorologists", "ministers", "negotiators", "observers", "officers", "officials", "opponents", "optimists", "organisers",
    "organizers", "owners", "participants", "people", "pessimists", "physicians", "planners", "players", "polls", "pollsters",
    "prosecutors", "pundits", "punters", "regulators", "researchers", "residents", "respondents", "rivals", "sceptics", "scholars",
    "scientists", "scouts", "seismologists", "skeptics", "sources", "specialists", "statisticians", "strategists", "supporters",
    "surveys", "traders", "unions", "voters", "watchers"
}
_BELIEF = re.compile(r"\b(?:believes?|believed|thinks?|thought|expects?|expected|predicts?|predicted|forecasts?|estimates?|"
                     r"estimated|reckons?|fears?|feared|doubts?|(?:is|are)\s+(?:very\s+|fairly\s+)?(?:confident|convinced))\b")
_HEADED = re.compile(r"\s*(?:\d{1,2}[:.]\d{2}\s+)?(?:[A-Z][\w-]*(?:\s+\w+){0,2}?\s+(?:from|by|with)\s+)?(?P<subj>[^:;“”\"]{3,100}):\s")
_PRICED_WITH = re.compile(r"(?:favou?rites?|odds-on|\d+[-/]\d+|evens|price[sd]?)\s+with\s+(?:(?:the|most|all|some|many|several|"
                          r"leading|same|major|other)\s+)*(?P<noun>bookmakers|bookies|punters|bettors|sportsbooks|firms)\b",
                          re.IGNORECASE)
_NAME = r"[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){1,2}"
_SUBJECT_NAMES = (re.compile(rf"^\s*(?P<subj>(?:[A-Za-z][\w-]*\s+){{0,3}}?{_NAME}(?:,\s[a-z][^,;“”\"]{{2,100}}?,)?)(?=\s+[a-z])"),
                  re.compile(rf"^\s*(?P<subj>[A-Z][^,;“”\"]{{2,60}},\s{_NAME}),\s"))
_CLAUSE = re.compile(r"\b(?:is|are|was|were|will|would|could|may|might|had|can|should|did|does|do)\b")
_PRONOUNS = {"he": "person", "she": "person", "him": "person", "her": "person", "they": "group", "it": "organisation"}
_NON_AGENTS = {"rates", "prices", "data", "figures", "numbers", "odds", "signs", "indicators", "results", "records", "documents",
               "reports", "futures", "trends", "conditions", "talks", "plans", "things", "years", "months", "weeks", "days",
               "estimates", "expectations", "forecasts", "projections", "models", "calculations", "sales", "shares", "stocks",
               "swaps", "bonds", "yields", "options", "contracts", "costs", "exports", "imports"}
_TITLES = {"minister", "president", "governor", "chairman", "chairwoman", "chair", "secretary", "senator", "sen", "rep",
           "representative", "judge", "justice", "mayor", "premier", "treasurer", "chancellor", "director", "commissioner",
           "ambassador", "envoy", "general", "gen", "professor", "prof", "dr", "mr", "ms", "mrs", "coach", "captain", "manager",
           "leader", "chief", "executive", "ceo", "cfo", "officer", "spokesman", "spokeswoman", "spokesperson", "economist",
           "analyst", "strategist", "pollster", "consultant", "agent", "merchant", "scientist", "researcher", "fellow", "lawyer",
           "attorney", "adviser", "advisor", "official", "editor", "correspondent", "defender", "striker", "champion", "seed",
           "player", "founder", "head", "deputy", "vice", "lawmaker", "legislator", "councillor", "councilor", "candidate",
           "challenger", "incumbent", "expert", "historian", "banker", "trader", "investor", "diplomat", "negotiator", "delegate",
           "former", "acting", "interim", "senior", "top", "king", "queen", "prince", "pope", "host", "forecaster", "columnist",
           "source", "insider", "aide", "member", "trainer", "jockey", "pundit", "rider", "driver", "pilot", "astronaut",
           "critic", "reporter", "writer", "author", "engineer", "doctor", "nurse", "teacher", "broker", "farmer", "owner",
           "organiser", "organizer", "campaigner", "activist", "commentator", "bishop", "sheriff", "inspector",
           "superintendent", "commander", "marshal", "colonel", "admiral", "sergeant"}
_ORG_WORDS = {"bank", "partners", "motors", "institute", "university", "college", "school", "department", "ministry", "agency",
              "authority", "council", "commission", "committee", "court", "party", "group", "inc", "corp", "corporation", "ltd",
              "llc", "plc", "company", "co", "capital", "research", "securities", "fund", "association", "federation", "union",
              "office", "board", "bureau", "reserve", "holdings", "club", "town", "city", "united", "fc", "times", "news", "post",
              "journal", "press", "wire", "service", "services", "organization", "organisation", "forum", "center", "centre",
              "foundation", "alliance", "coalition", "front", "movement", "army", "navy", "police", "exchange", "insights",
              "analytics", "advisors", "advisers", "management", "investments", "trust", "society", "initiative", "government",
              "parliament", "assembly", "senate", "congress", "cabinet", "treasury", "airlines", "electronics", "energy", "systems",
              "technologies", "labs", "media", "network", "devices", "industries", "model", "sachs", "economics",
              "intelligence", "consulting", "advisory", "ratings", "statistics", "institution", "nations", "league", "team"}
# Common nouns for what an organisation is, written before its name ("consultancy X", "awards site Y").
_DESCRIPTORS = {"consultancy", "company", "firm", "site", "website", "broker", "brokerage", "distributor", "chipmaker", "carmaker",
                "automaker", "insurer", "lender", "retailer", "startup", "start-up", "newspaper", "broadcaster", "publisher",
                "studio", "tracker", "platform", "outlet", "exchange", "bookmaker", "regulator", "watchdog", "tank",
                "group", "agency", "developer", "manufacturer", "producer", "operator", "airline", "supplier"}
_PLACES = {"korea", "korean", "china", "chinese", "japan", "japanese", "states", "america", "american", "europe", "european",
           "africa", "african", "asia", "asian", "russia", "russian", "ukraine", "kingdom", "republic", "zone", "federal", "national",
           "supreme", "central", "white", "house", "washington", "beijing", "pyongyang", "seoul", "tokyo", "moscow", "kremlin",
           "pentagon", "street", "wall", "eu", "un", "us", "uk", "ecb", "fed", "imf", "opec", "nato", "north", "south", "east", "west"}
_NOT_NAMES = {"the", "this", "that", "these", "those", "however", "but", "and", "in", "on", "at", "last", "next", "some", "many",
              "most", "several", "both", "all", "will", "could", "may", "would", "if", "while", "a", "an", "his", "her", "their",
              "its", "our", "it", "he", "she", "they", "we", "i", "such", "other", "others", "another", "still", "yet", "so",
              "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
              "april", "june", "july", "august", "september", "october", "november", "december"}
_ORG_NOUNS = {"authority", "ministry", "department", "agency", "government", "company", "firm", "bank", "institute", "club",
              "court", "commission", "council", "union", "party", "committee", "office", "board", "bureau", "regulator",
              "administration", "cabinet", "team", "campaign", "group", "fund", "exchange", "police", "army", "military",
              "watchdog", "organisation", "organization", "association", "federation", "league", "network", "newspaper",
              "broadcaster", "university", "treasury", "carmaker", "automaker", "lender", "insurer", "operator", "producer",
              "manufacturer", "retailer", "airline", "utility", "developer", "statistics office", "central bank", "think tank"}


class Cast:
    """The people, groups and organisations an article has named so far, for the words that refer
    back to them ("Hong added", "he said", "those polled", "others", "the institute")."""

    def __init__(self, newsroom: Speaker):
        self.newsroom = newsroom
        self.people: dict[str, Speaker] = {}  # by full name, first and last word of the name
        self.organisations: list[Speaker] = []
        self.last_person: Speaker | None = None
        self.last_group: str | None = None  # the plural noun, "economists"
        self.last_quoted: Speaker | None = None
        self.interviewee: Speaker | None = None  # the person an interview in Q&A form is with
        self.voice: Speaker | None = None  # whose words the sentence is when no frame names anyone: an answer's
        self.version = 0  # counts the changes to what a subject can refer back to (all the above but voice)
        self._misses_of: tuple | None = None  # the sentence, version and voice that `_misses` holds for
        self._misses: dict[re.Pattern, dict[int, re.Match | None]] = {}

    # --- attribution of one claim -------------------------------------------------------------

    def speaker(self, sentence: str, start: int, link: str, cue_start: int, cue_end: int,
                before: Speaker | None, main: Speaker | None) -> Speaker:
        """The speaker of the claim in sentence[start:…] whose cue is at cue_start. `before` is the
        speaker of the previous clause of the sentence, `main` the sentence's first frame's."""
        with_frame = _WITH.match(sentence, start)  # "…, with Lim warning that …"
        found = ((self.resolve(with_frame.group("subj")) if with_frame else None)
                 or self.headed(sentence, start) or self.frame_before(sentence, start, cue_end)
                 or (before if link in (CONTINUES, CONSEQUENCE) else None)
                 or self.according_to(sentence, start) or self.priced_by(sentence, start)
                 or self.frame_after(sentence, cue_start) or main)
        if found is None and inside_quotation(sentence, cue_start) and sentence.lstrip()[:1] in "“\"":
            found = self.last_quoted  # a quotation that goes on from the previous sentence
        return found or self.voice or self.newsroom

    def frame_before(self, sentence: str, start: int, end: int) -> Speaker | None:
        """The subject of the first reporting verb between start and end, outside quotation marks; or,
        when what it reports is someone's belief ("X said Chief Executive Laura Chen believes …"), the
        believer's."""
        after = start  # "Swaps showed traders pricing in …": the subject may follow an earlier verb
        for m in _frames(sentence, start, end):
            if inside_quotation(sentence, m.start()) or ending(_PASSIVE, sentence, start, m.start(), words=2):
                continue
            found = (self.resolve(_subject(sentence, start, m.start()))
                     or (self.resolve(_subject(sentence, after, m.start())) if after > start else None))
            if found is not None:
                return self._believer(sentence, m.end(), end) or found
            after = m.end()
        return None

    def _believer(self, sentence: str, start: int, end: int) -> Speaker | None:
        """The subject of a belief verb right inside a reported clause: "says the Labour agent, Gareth
        Price, believes …", "says two in three of its experts expect …"."""
        m = _BELIEF.search(sentence, start, end)
        if m is None or inside_quotation(sentence, m.start()) or ending(_PASSIVE, sentence, start, m.start(), words=2):
            return None
        subject = re.sub(r"^\s*that\s+", "", sentence[start:m.start()])
        if not subject.strip() or len(subject.split()) > 10 or _FRAME.search(subject):
            return None
        return self.peek(subject, ("person", "collective", "organisation"))

    def peek(self, subject: str, kinds: tuple[str, ...]) -> Speaker | None:
        """`resolve`, keeping what it meets only when the subject is a speaker of one of `kinds`."""
        saved = (dict(self.people), list(self.organisations), self.last_person, self.last_group)
        found = self.resolve(subject)
        if found is None or found.kind not in kinds:
            self.people, self.organisations, self.last_person, self.last_group = saved
            self.version += 1
            return None
        return found

    def headed(self, sentence: str, start: int = 0) -> Speaker | None:
        """A claim headed by its speaker and a colon: "Analysis from our political editor, Sam Wilde: …"."""
        m = _HEADED.match(sentence, start)
        return self.peek(m.group("subj"), ("person",)) if m else None

    def priced_by(self, sentence: str, start: int = 0) -> Speaker | None:
        """Bookmakers named with their price: "the 3-1 favourite with most bookmakers"."""
        m = search_from(_PRICED_WITH, sentence, start)
        return group(m.group("noun")) if m else None

    def meet(self, sentence: str) -> None:
        """Remember a person the sentence names as its subject without a reporting verb ("Lena Ortiz
        leads the team", "Their manager, Luis Fernandez, refused …"), for a later "she said"."""
        for pattern in _SUBJECT_NAMES:
            m = pattern.match(sentence)
            if m and self.peek(m.group("subj"), ("person",)):
                return

    def frame_after(self, sentence: str, position: int) -> Speaker | None:
        """"…, officials say", "“…,” Hong said", "“…,” said Jane Roe, a pollster." after `position`."""
        for pattern in (_POST, _POST_INVERTED):
            m = search_from(pattern, sentence, position)
            while (m := _past_misses(self._known_misses(sentence, pattern), m)) is not None:
                state = self._misses_of
                if not inside_quotation(sentence, m.start("subj")):
                    subject = m.group("subj") + (f", {m.group('app')}" if m.groupdict().get("app") else "")
                    found = self.resolve(subject)
                    if found is not None:
                        return found
                following = search_from(pattern, sentence, m.end())
                misses = self._known_misses(sentence, pattern)
                if self._misses_of == state:  # resolving it changed nothing
                    misses[m.start()] = following  # it names nobody, as long as nothing changes
                m = following
        return None

    def _known_misses(self, sentence: str, pattern: re.Pattern) -> dict[int, re.Match | None]:
        """The matches of `pattern` in `sentence` found to name nobody since the cast last changed, each
        with the match after it: a sentence of thousands of "…, x said" is read past them, not again
        from each clause."""
        key = (sentence, self.version, self.voice)
        if self._misses_of != key:
            self._misses_of, self._misses = key, {}
        return self._misses.setdefault(pattern, {})

    def according_to(self, sentence: str, start: int = 0) -> Speaker | None:
        """"according to Jane Roe, a pollster", "according to a forecast by X", "… drawn from 30 analysts"."""
        m = _according(sentence, start)
        if not m:
            return None
        found = self.resolve(m.group("subj") + (f", {m.group('app')}" if m.group("app") else ""))
        if found is None:
            nouns = [w for w in re.findall(r"[a-z]+", m.group("subj")) if w in _GROUP_NOUNS]
            found = group(nouns[-1]) if nouns else None
        return found

    def observe(self, sentence: str) -> None:
        """Meet whoever the sentence names as a speaker, and remember who spoke its quotation, for a next
        sentence that goes on with it."""
        first = self.frame_before(sentence, 0, len(sentence)) or self.according_to(sentence)
        if first is None:
            self.meet(sentence)
        quoted = self.frame_after(sentence, 0) if ("”" in sentence or '"' in sentence) else None
        if quoted is None and ("“" in sentence or '"' in sentence):
            quoted = first if not sentence.lstrip().startswith(("“", '"')) else self.last_quoted
        self.last_quoted = quoted

    # --- reading a subject --------------------------------------------------------------------

    def resolve(self, subject: str) -> Speaker | None:
        """The speaker a reporting verb's subject names, or None when it names none."""
        subject = _without_auxiliaries(subject)
        subject = _SUBORDINATE.split(subject)[-1]  # "Shares rose after the company said …": the company
        segments = [s.strip(" “”\"'‘’—–-;:") for s in subject.split(",")]
        segments = [s for s in segments if s and not _ADVERBIAL.fullmatch(s)]
        if not segments:
            return None
        segments[0] = _CONNECTIVE.sub("", segments[0]).strip() or segments[0]
        if segments[-1].lower() == "who":
            return self.last_person
        appositions: list[str] = []
        while len(segments) > 1 and _is_apposition(segments[-1]) and _looks_named(segments[-2]):
            appositions.insert(0, segments.pop())
        head, earlier = segments[-1], segments[:-1]
        if len(head.split()) > 9 or _CLAUSE.search(head):
            return None
        title = earlier[-1] if earlier and _looks_named(head) and _is_title(earlier[-1]) else ""
        found = self._person_or_group(head, title, appositions, earlier)
        if found is not None:
            self._remember(found)
        return found

    def _person_or_group(self, head: str, title: str, appositions: list[str] | None = None,
                         earlier: list[str] | None = None) -> Speaker | None:
        lower = head.lower()
        if lower in ("i", "we"):
            return self.voice  # in an interview's answer, the interviewee; elsewhere the quotation's speaker
        if lower in _PRONOUNS:
            return {"person": self.last_person, "group": group(self.last_group) if self.last_group else None,
                    "organisation": self.organisations[-1] if self.organisations else None}[_PRONOUNS[lower]]
        source = _SOURCE_OF.match(head) or _OWNED_SOURCE.match(head)
        if source:
            return self._person_or_group(source.group("rest"), "")
        if re.fullmatch(r"(?:(?:a|an|the|this|that|its|their)\s+)?(?:[\w-]+\s+){0,2}?(?P<noun>poll|survey)", lower):
            return group(lower.split()[-1])  # "a new poll shows …"
        if re.match(r"^(?:the\s+)?rest\b", lower) or _POLLED.match(lower):
            return group(self.last_group) if self.last_group else None
        if lower == "some":
            return group("some")
        other = re.match(r"^others?(?:\s+(?P<noun>\w+s))?\b", lower)
        if other:
            noun = other.group("noun") or (self.last_group or "")
            return group(f"other {noun}".strip() if noun and not noun.startswith("other") else noun or "others")
        quantity = _QUANTITY.match(head)
        if quantity and (quantity.group("q").lower() in _QUANTIFIERS or number_word(quantity.group("q").lower()) is not None
                         or re.fullmatch(r"\d[\d,.]*", quantity.group("q"))):
            return self._person_or_group(quantity.group("rest"), "") or (group(self.last_group) if self.last_group else None)
        if number_word(lower) is not None or re.fullmatch(r"\d[\d,]*", lower) or lower in ("many", "most", "several", "few"):
            named = next((g for g in (self._group_in(e) for e in reversed(earlier or [])) if g), None)
            return named or (group(self.last_group) if self.last_group else None)
        if head in self.people:
            return self.people[head]
        return self._group_in(head) or self._named(head, title, appositions or [])

    def _group_in(self, text: str) -> Speaker | None:
        """"Political analysts at X" → analysts; "Brightwater Partners" is not a group."""
        words = re.findall(r"[\w’'-]+", text)
        run = []
        for i, w in enumerate(words):
            if i and _STOP_WORD.match(w):
                break
            run.append(w)
        run = [w for w in run if w.lower() not in _NOT_NAMES and not re.fullmatch(r"\d[\d,]*", w) and number_word(w.lower()) is None]
        if not run:
            return None
        noun, lower = run[-1], run[-1].lower()
        if noun[:1].isupper() and (len(run) > 1 or lower not in _GROUP_NOUNS):
            return None  # a name: "Brightwater Partners", "Mendes"
        if lower not in _GROUP_NOUNS and (not re.search(r"[^s]s$", lower) or lower in _NON_AGENTS or lower.endswith(("ss", "us", "is"))):
            return None
        return group(lower)

    def _named(self, head: str, title: str, appositions: list[str]) -> Speaker | None:
        """A person by name (with any title) or an organisation."""
        parts = re.split(r"\s+(?=(?:of|at|from|for)\s+(?:the\s+)?[A-Z])", head, maxsplit=1)
        name_part, tail = parts[0], (parts[1] if len(parts) > 1 else "")
        tail = re.sub(r"\s+(?:[a-z]+ed|[a-z]+ing|who|which|that|on|in)\b.*$", "", tail)  # "… published on Monday"
        tokens = name_part.split()
        run: list[str] = []
        for token in reversed(tokens):
            bare = token.strip("’'.,")
            if not (bare[:1].isupper() or (run and re.fullmatch(r"\d+(?:st|nd|rd|th)", bare))):  # "the 45th Weather Squadron"
                break
            run.insert(0, bare.removesuffix("’s").removesuffix("'s"))
        lead = tokens[:len(tokens) - len(run)]
        if len(run) > 1 and run[0].lower() in _DESCRIPTORS:  # "Consultancy Tamar Energy Insight" opening a sentence
            lead, run = lead + run[:1], run[1:]
        words = [w.lower() for w in run]
        if run and lead and lead[-1].lower() in _DESCRIPTORS and lead[-1].lower() not in _TITLES and not any(w in _TITLES for w in words):
            return self._organisation(" ".join(run))  # "Forecasting site Plains Politics", "distributor Meridian Pictures"
        if any(w in _ORG_WORDS for w in words):  # "Brightwater Partners", "the Royal Institute" + "of Surveyors"
            return self._organisation(" ".join(run + ([tail] if tail else [])))
        cut = max((i + 1 for i, w in enumerate(words) if w in _TITLES), default=0)
        lead, run = lead + run[:cut], run[cut:]
        run = [w for w in run if w.lower() not in _NOT_NAMES] if len(run) > 1 else run
        if not run:
            return self._unnamed(head)
        if any(w.lower() in _PLACES for w in run) or run[0].lower() in _NOT_NAMES:
            return self._organisation(" ".join(run)) if run[0].lower() not in _NOT_NAMES else None
        name = " ".join(run[-3:])
        known = self.people.get(name)
        if known is not None:
            return known
        if len(run) == 1 and not lead and not title:
            return self._organisation(name)
        titled = " ".join(lead)
        titled = (titled[:1].lower() + titled[1:]) if titled and titled.split()[0].lower() in _TITLES else titled
        affiliation = ", ".join(x for x in [_article_dropped(title), " ".join(x for x in (titled, tail) if x)]
                                + [_article_dropped(a) for a in appositions] if x) or None
        person = Speaker(slug(name), name, "person", affiliation)
        for key in (name, run[0], run[-1]):
            self.people.setdefault(key, person)
        self.version += 1
        return person

    def _unnamed(self, head: str) -> Speaker | None:
        """"The foreign minister" (a person by title); "the city's transport authority", "the
        institute" (an organisation, the one last named if it fits)."""
        text = re.sub(r"^(?:the|a|an)\s+", "", head.strip(), flags=re.IGNORECASE)
        text = re.sub(r"^(?:[\w-]+[’']s\s+)", "", text) if not re.match(r"^[A-Z]", text) else text
        words = text.lower().split()
        if not words:
            return None
        noun = words[-1]
        named = [o for o in reversed(self.organisations) if noun in o.name.lower().split()]
        if named and len(words) == 1:
            return named[0]  # "the service" after "the National Weather Service"
        if noun in _TITLES:
            return Speaker(slug(text), f"{text[:1].upper()}{text[1:]} (unnamed)", "person")
        if noun in _ORG_NOUNS or " ".join(words[-2:]) in _ORG_NOUNS:
            return self._organisation(f"{text[:1].upper()}{text[1:]}")
        return None

    def _organisation(self, name: str) -> Speaker | None:
        name = re.sub(r"^(?:the|The)\s+", "", name.strip())
        if not slug(name):
            return None
        found = next((o for o in self.organisations if o.id == slug(name)), None)
        if found is None:
            found = Speaker(slug(name), name, "organisation")
            self.organisations.append(found)
            self.version += 1
        return found

    def _remember(self, speaker: Speaker) -> None:
        self.version += 1
        if speaker.kind == "person":
            self.last_person = speaker
        elif speaker.kind == "collective" and speaker.id not in ("some",) and not speaker.id.startswith("other"):
            self.last_group = speaker.id.replace("-", " ")
        elif speaker.kind == "organisation" and speaker in self.organisations:
            self.organisations.remove(speaker)
            self.organisations.append(speaker)


def _without_auxiliaries(subject: str) -> str:
    """The subject without the words after it that are not part of it, each after a space ("Analysts
    have also" → "Analysts"); read back from the end word by word, so that a long run of "-ly" words
    is read once (a pattern anchored at the end tried it again from each of its words)."""
    end = i = len(subject.rstrip())
    while i > 0:
        word_start = i
        while word_start > 0 and not subject[word_start - 1].isspace():
            word_start -= 1
        if word_start == 0 or not _AUXILIARY.fullmatch(subject, word_start, i):
            break
        i = word_start
        while i > 0 and subject[i - 1].isspace():
            i -= 1
    return subject[:i] if i < end else subject


_SUBJECT_REACH = 1000  # characters: a sentence of the corpora is at most about 360 long


def _subject(sentence: str, start: int, end: int) -> str:
    """The words between `start` and a reporting verb at `end` that can name its subject: all of them,
    or in a sentence longer than any real one, the last `_SUBJECT_REACH` characters from a word's start,
    so that a sentence of thousands of reporting verbs does not re-read its whole start for each."""
    if end - start <= _SUBJECT_REACH:
        return sentence[start:end]
    i = end - _SUBJECT_REACH
    while i < end and not sentence[i - 1].isspace():
        i += 1
    return sentence[i:end]


def _according(sentence: str, start: int) -> re.Match | None:
    """`_ACCORDING` in sentence[start:]: found from `start` in the sentence (remembered across its
    clauses), except where its "\b" would read differently there than at a slice's start."""
    if 0 < start < len(sentence) and word_char(sentence[start - 1]) and word_char(sentence[start]):
        return _ACCORDING.search(sentence[start:])
    return search_from(_ACCORDING, sentence, start)


def _frames(sentence: str, start: int, end: int) -> Iterator[re.Match]:
    """`_FRAME.finditer(sentence, start, end)`. When `end` is the sentence's end or a mark (the ","
    before a clause), no match can read or reach past it, so the matches are those of the whole
    sentence, remembered: asked for the frame before each of thousands of clauses, the sentence's
    start is not searched again each time."""
    if end < len(sentence) and (sentence[end].isspace() or word_char(sentence[end])):
        yield from _FRAME.finditer(sentence, start, end)
        return
    for m in _chain(_FRAME, sentence, start):
        if m.start() >= end:
            return
        yield m


def _past_misses(misses: dict[int, re.Match | None], m: re.Match | None) -> re.Match | None:
    """The first match from `m` on not known to name nobody (the known ones short-cut as they are passed)."""
    passed = []
    while m is not None and m.start() in misses:
        passed.append(m.start())
        m = misses[m.start()]
    for start in passed:
        misses[start] = m
    return m


def _chain(pattern: re.Pattern, sentence: str, position: int) -> Iterator[re.Match]:
    """`pattern.finditer(sentence, position)` (for a pattern that matches no empty text), each search
    remembered: the clauses of a long sentence all read on to its end."""
    m = search_from(pattern, sentence, position)
    while m is not None:
        yield m
        m = search_from(pattern, sentence, m.end())


def _is_apposition(segment: str) -> bool:
    """"a researcher at X", "chief economist at Y", "now a television analyst", "of the Ifo institute"."""
    return segment[:1].islower() or bool(re.match(r"(?:A|An)\s", segment))


def _looks_named(segment: str) -> bool:
    words = segment.split()
    return bool(words) and words[-1][:1].isupper() and words[-1].strip("’'").lower() not in _NOT_NAMES


def _is_title(segment: str) -> bool:
    """"The state attorney general", "Brazil's foreign minister", "Her coach" before ", Name,"."""
    words = segment.lower().split()
    return bool(words) and words[-1] in _TITLES


def _article_dropped(text: str) -> str:
    return re.sub(r"^(?:a|an|the|now)\s+", "", text.strip(), flags=re.IGNORECASE) if text else ""
