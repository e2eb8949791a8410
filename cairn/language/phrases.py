"""The children-first phrase table (DOMAIN.md, "Children-first language"), as data.

Each `Rule` is one row of the table: the wording to avoid, the regular expressions that find it and
the preferred wording offered instead. The checker (`cairn.language.checker`) owns the engine; this
module owns the words. Patterns are matched case-insensitively.

A pattern is either a plain regex string or a `Pattern` with post-filters for context:

* `unless_before`: a regex searched in the text just before the hit (anchor it with `$`);
* `unless_after`: a regex matched at the end of the hit;
* `unless_in_sentence`: a regex searched in the sentence that holds the hit.

A regex may put the words to underline in a named group `hit`; the rest of the match is context
(for example "been" in "been recruited") and is not part of the finding.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Pattern:
    regex: str
    unless_before: str | None = None
    unless_after: str | None = None
    unless_in_sentence: str | None = None


@dataclass(frozen=True)
class Rule:
    id: str
    avoid: str
    patterns: tuple[str | Pattern, ...]
    suggestions: tuple[str, ...]


# --- building blocks -------------------------------------------------------------------------

# himself, herself, themselves, themself, myself, yourself, yourselves, ourselves, oneself.
REFLEXIVE = r"(?:him|her|them|my|your|our|one)sel(?:f|ves)"

# "an adult", "an older man", "a 25 year old man", "a 25-year-old", "older males", "a 19yo".
_AGE = r"(?:1[89]|[2-9][0-9])"
_AGED = rf"(?:{_AGE}(?:\s*-\s*|\s+)?(?:years?|yrs?)(?:\s*-\s*|\s+)old|{_AGE}\s*(?:yo|y/o)\b)"
_PERSON = (
    r"(?:man|men|male|males|woman|women|female|females|person|people|adults?|boys?|girls?"
    r"|guys?|lads?)"
)
OLDER_PERSON = (
    r"(?:(?:an?|the|this|that|some|two|three|several)\s+)?"
    r"(?:(?:much|significantly|considerably|a\s+lot)\s+)?"
    rf"(?:older|adult|grown(?:[\s-]+up)?|{_AGED})(?:\s+{_PERSON})?\b"
)
ADULT_OR_MAN = (
    rf"(?:{OLDER_PERSON}|(?:(?:an?|the|some)\s+)?(?:man|men|male|males|adults?|woman|women)\b)"
)

ONLINE = (
    r"(?:on[\s-]?line|on\s+(?:the\s+)?(?:internet|social\s+media|snapchat|instagram|tiktok"
    r"|facebook|whatsapp|apps?|dating\s+(?:apps?|sites?)|gaming\s+(?:sites?|platforms?))"
    r"|via\s+(?:the\s+internet|social\s+media|snapchat|instagram|tiktok|facebook|whatsapp|apps?))"
)

# Nouns that make "CSE", "gangs" etc. the name of professional work rather than of the child.
PROFESSIONAL_WORK = (
    r"\s+(?:investigations?|work|team|teams|panels?|meetings?|strategy|strateg\w+|operations?"
    r"|disruption|prevention|training|cases?|services?|screening|screenings|assessments?|tools?"
    r"|forums?|subgroups?|awareness|enquir\w+|inquir\w+|response|audits?|reviews?|polic(?:y|ies)"
    r"|protocols?|pathways?|hubs?|units?|co-?ordinators?|leads?|workers?|officers?|champions?"
    r"|programmes?|projects?|specialists?|practitioners?|professionals?)\b"
)

# A sentence about consent to a professional process: a referral, sharing information, an
# assessment or treatment. (Not "health" or "disclosed": that is where a child's account is told.)
CONSENT_TO_A_PROCESS = (
    r"\b(?:refer\w*|information|info|shar(?:e|ed|es|ing)|nrm|assessments?|rhi|medicals?"
    r"|examinations?|treatment|vaccin\w*|records?|data|forms?|gillick|fraser|capacity)\b"
)

# "cannot consent", "is unable to consent": saying a child cannot consent is the right message.
CANNOT = (
    r"\b(?:cannot|can\s*not|can't|could\s+not|couldn't|unable\s+to|not\s+able\s+to"
    r"|incapable\s+of|no\s+capacity\s+to)\s+$"
)

# A parent or carer giving consent, just before the verb: "Mum consented", "dad has consented".
PARENT_AS_SUBJECT = (
    r"\b(?:mum|mother|dad|father|parents?|carers?|guardians?|nan|gran|grandparents?)\s+"
    r"(?:(?:has|had|have|was|were|also|then|later|both|all|verbally|happily|asked|and|duly)\s+)*$"
)

# Recruiting staff, carers and volunteers is ordinary council business. Looks at most four words
# ahead, within the sentence.
_WORD_GAP = r"[^\w.!?;\n]+"
RECRUITING_STAFF = (
    rf"(?:{_WORD_GAP}\w+){{0,4}}?{_WORD_GAP}"
    r"(?:foster(?:ing)?|carers?|adopters?|staff|volunteers?|mentors?|apprentices?|vacanc(?:y|ies)"
    r"|employees?|workforce|governors?|trustees?|participants?|panel\s+members?"
    r"|(?:new|additional|locum|agency|qualified)\s+(?:social\s+)?(?:workers?|practitioners?"
    r"|officers?|managers?))\b"
)

# --- the table ----------------------------------------------------------------------------------

RULES: tuple[Rule, ...] = (
    Rule(
        id="putting-themselves-at-risk",
        avoid="putting themselves at risk",
        patterns=(
            # put/puts/putting/place/placed/placing himself/herself/themselves at risk / in danger;
            # "putting herself and her sister at risk". Never "putting her at risk" (an adult
            # putting a child at risk is proper usage).
            r"\b(?:put|puts|putting|place|places|placed|placing)\s+"
            + REFLEXIVE
            + r"(?:\s+(?:and|&)(?:\s+[\w'’]+){1,3}?)?"
            + r"\s+(?:at\s+(?:[\w-]+\s+)?risk|in\s+(?:danger|harm['’]?s\s+way"
            r"|(?:risky|dangerous|unsafe|vulnerable)\s+(?:situations?|positions?|places?)))\b",
            r"\bexpos(?:e|es|ed|ing)\s+" + REFLEXIVE + r"\s+to\s+(?:[\w-]+\s+)?"
            r"(?:risks?|harm|danger|exploitation|abuse)\b",
            r"\b(?:make|makes|made|making)\s+" + REFLEXIVE + r"\s+vulnerable\b",
        ),
        suggestions=(
            "may have been groomed",
            "the situation gives a perpetrator opportunity to abuse them",
        ),
    ),
    Rule(
        id="sexually-active",
        avoid="sexually active; sexual activity with",
        patterns=(
            r"\bsexually[\s-]+active\b",
            r"\bsexual\s+activit(?:y|ies)\s+with\b",
            r"\b(?:have|has|having|had)\s+sex\s+with\b",
        ),
        suggestions=(
            "sexually abused",
            "raped",
            "concerns the child has been groomed or coerced",
        ),
    ),
    Rule(
        id="prostitution",
        avoid="prostituting / prostitute / selling sex",
        patterns=(
            r"\bprostitut\w*",
            r"\b(?:sell|sells|selling|sold|trade|trades|traded|trading"
            r"|exchang(?:e|es|ed|ing))\s+(?:sex|sexual\s+(?:services|favours|acts))\b",
            r"\b(?:sell|sells|selling|sold)\s+(?:"
            + REFLEXIVE
            + r"|(?:his|her|their)\s+bod(?:y|ies))",
            r"\bsex[\s-]+work(?:ers?|ing)?\b",
            r"\brent[\s-]+boys?\b",
        ),
        suggestions=("being sexually exploited",),
    ),
    Rule(
        id="relationship-with-adult",
        avoid="in a relationship with (an adult/older male) / boyfriend",
        patterns=(
            # "in a relationship with a 25 year old man", "has a sexual relationship with an adult".
            # Not "her relationship with her foster carer": the other party must be an adult.
            r"\b(?:in|into|having|has|had|have|started|starting|begun|began|formed|forming)\s+"
            r"(?:an?\s+)?(?:(?:sexual|romantic|intimate|physical)\s+)?relationships?\s+with\s+"
            + ADULT_OR_MAN,
            r"\b(?:sexual|romantic|intimate)\s+relationships?\s+with\b",
            r"\b(?:dating|dated|dates|seeing|going\s+out\s+with|goes\s+out\s+with"
            r"|went\s+out\s+with)\s+" + OLDER_PERSON,
            r"\b(?:sleeping|sleeps|slept|hooking\s+up|hooked\s+up)\s+with\s+" + ADULT_OR_MAN,
            r"\b(?:older\s+)?boy-?friends?\b",
            r"\bolder\s+girl-?friends?\b",
            r"\b(?:older|adult)\s+partners?\b",
        ),
        suggestions=("being groomed by", "being exploited by"),
    ),
    Rule(
        id="contacting-adults-online",
        avoid="contacting adults online",
        patterns=(
            r"\b(?:contact(?:s|ed|ing)?|talk(?:s|ed|ing)?|speak(?:s|ing)?|spoke|chat(?:s|ted|ting)?"
            r"|messag(?:e|es|ed|ing)|(?:seek|seeks|seeking|sought)\s+out"
            r"|meet(?:s|ing)?(?:\s+up)?|met(?:\s+up)?)\s+(?:(?:to|with)\s+)?"
            r"(?:(?:an?|some)\s+)?(?:(?:(?:older|adult|unknown|random|strange|grown)\s+)?"
            r"(?:adults?|men|man|males?|strangers?)|(?:older|unknown|adult)\s+people)"
            r"(?:\s+(?:she|he|they)\s+(?:has\s+|had\s+|have\s+)?(?:met|meets|meet))?\s+" + ONLINE,
        ),
        suggestions=("adults have been contacting the child",),
    ),
    Rule(
        id="involved-in-exploitation",
        avoid="involved in CSE / CCE",
        patterns=(
            Pattern(
                r"\b(?:involved|involvement|engag(?:e|es|ed|ing)|participat(?:e|es|ed|ing|ion)"
                r"|tak(?:e|es|ing)\s+part|took\s+part)\s+in\s+"
                r"(?:(?:child\s+)?(?:sexual|criminal)\s+exploitation|cse|cce|county[\s-]+lines"
                r"|gangs?|gang\s+(?:activity|culture|crime)|sex\s+work"
                r"|the\s+sex\s+(?:trade|industry)|prostitution|(?:child\s+)?trafficking"
                r"|drug\s+(?:dealing|running|supply)|dealing\s+drugs)\b",
                unless_after=PROFESSIONAL_WORK,
            ),
            Pattern(
                r"\b(?:cse|cce|gang|county[\s-]+lines)[\s-]+involved\b",
                unless_after=PROFESSIONAL_WORK,
            ),
        ),
        suggestions=(
            "is a victim of sexual exploitation",
            "is a victim of criminal exploitation",
        ),
    ),
    Rule(
        id="associating-with-gangs",
        avoid="associating with gang members / elders",
        patterns=(
            Pattern(
                r"\b(?:associat(?:e|es|ed|ing)|hang(?:s|ing)?\s+(?:out|around)"
                r"|hung\s+(?:out|around)|mix(?:es|ed|ing)?|involved|affiliated"
                r"|(?:run|runs|running|ran)\s+(?:about|around))\s+with\s+"
                r"(?:(?:known|local|older|adult|suspected|rival|the|a|an|these|those)\s+){0,3}"
                r"(?:gang(?:s|\s+members?|\s+nominals?|\s+affiliates?)?|elders|olders"
                r"|(?:drug\s+)?dealers|organised\s+crime(?:\s+groups?)?|ocgs?|nominals|criminals"
                r"|criminal\s+(?:gangs?|groups?|peers|adults|males))\b",
                # "the risks associated with gangs" describes harm, not the child.
                unless_before=r"\b(?:risks?|harms?|dangers?|issues|concerns?|problems?|violence"
                r"|crimes?|factors?|vulnerabilit(?:y|ies)|indicators?|exploitation|signs?"
                r"|stigma|trauma|injur(?:y|ies))\s+(?:(?:that|which|are|is|often|commonly"
                r"|typically|frequently|closely|strongly|known\s+to\s+be)\s+)*$",
                unless_after=r"\s+(?:membership|activity|violence|culture|crime)\b",
            ),
            r"\bgang[\s-]+(?:affiliated|associated|involved)\b",
        ),
        suggestions=(
            "being exploited by an organised crime group",
            "being controlled by an organised crime group",
        ),
    ),
    Rule(
        id="criminal-exploitation-as-work",
        avoid="recruited / working for / drug running / money mule / plugging",
        patterns=(
            # Flag "recruited" unless it is about staff, carers or volunteers.
            Pattern(
                r"\brecruit(?:s|ed|ing|ment|er|ers)?\b",
                unless_before=r"\b(?:foster(?:ing)?|carers?|adopters?|staff|volunteers?|mentors?"
                r"|workforce|employee|panel\s+member)[ \t-]+$",
                unless_after=RECRUITING_STAFF,
            ),
            r"\bwork(?:s|ed|ing)?\s+for\s+(?:(?:an?|the|his|her|their|some)\s+)?"
            r"(?:(?:local|older|known|adult|drug|rival)\s+)*"
            r"(?:dealers?|gangs?|elders|olders|ocgs?|organised\s+crime(?:\s+groups?)?"
            r"|county[\s-]+lines?|(?:drugs?\s+)?lines?(?!\s+manag)"
            r"|['‘\"“][^'’\"”]{1,30}['’\"”]\s+lines?)\b",
            r"\bdrugs?[\s-]+(?:run(?:s|ning|ner|ners)?|ran)\b",
            r"\b(?:run|runs|running|ran)\s+(?:drugs|(?:a\s+|the\s+)?county[\s-]+lines?"
            r"|(?:a|the)\s+(?:drugs?\s+)?line)\b",
            r"\b(?:(?:money|cash|drugs?)[\s-]+)?mul(?:e|es|ing)\b",
            Pattern(
                r"\bplug(?:s|ged|ging)\b",
                # "plugged it in", "plugging the gaps" are not about drugs.
                unless_after=r"\s+(?:in|into|away)\b|\s+(?:it|(?:the|a|his|her|their|my)\s+"
                r"(?:phones?|chargers?|laptops?|tablets?|ipads?|devices?|tv|consoles?|xbox"
                r"|playstation|computer|headphones|speakers?|kettle|cable|lead))\s+in\b"
                r"|\s+(?:the|a|any|those|these)\s+(?:gaps?|holes?|leaks?)\b",
            ),
        ),
        suggestions=(
            "criminally exploited",
            "being made to carry or conceal drugs or money",
        ),
    ),
    Rule(
        id="keeps-going-missing",
        avoid="keeps going missing / absconding",
        patterns=(
            r"\b(?:keep|keeps|kept|keeping)\s+(?:on\s+)?(?:going\s+missing|running\s+(?:away|off)"
            r"|disappearing|absconding|taking\s+off)\b",
            r"\b(?:always|constantly|continually|continuously|repeatedly|habitually|persistently"
            r"|frequently|regularly)\s+(?:go|goes|going|went|gone)\s+missing\b",
            r"\babscond(?:s|ed|ing|er|ers|ence)?\b",
        ),
        suggestions=("is missing", "may be being trafficked or controlled"),
    ),
    Rule(
        id="consent",
        avoid="lifestyle choice / consented / consensual",
        patterns=(
            r"\blifestyle\s+choices?\b",
            r"\b(?:chose|chosen|choose|chooses|choosing)\s+(?:this|that|the|a|her|his|their)\s+"
            r"(?:[\w-]+\s+)?lifestyle\b",
            Pattern(
                r"\bconsensual(?:ly)?\b",
                unless_after=r"\s+(?:information|data|sharing|basis|approach|referrals?)\b",
            ),
            # "consented to sex", "consent to sexual activity", "consenting to meeting him".
            Pattern(
                r"\b(?P<hit>consent(?:s|ed|ing)?)\s+to\s+(?:(?:have|having|had)\s+)?"
                r"(?:sex|sexual|intercourse|(?:being|be)\s+(?:touched|filmed|photographed|with)"
                r"|sleep(?:ing)?\s+with|meet(?:ing)?\s+(?:him|them|up|her|men|adults?)"
                r"|go(?:ing)?\s+with|exploitation|abuse"
                r"|(?:the|a|this|that|their|his|her)\s+(?:sex|sexual\w*|relationship|abuse"
                r"|exploitation))\b",
                # "cannot consent to exploitation" is the point the checker itself makes.
                unless_before=CANNOT,
            ),
            # "she consented", "she said she was consenting", "consented to it": about the child
            # unless a parent consents or the sentence is about a referral or information sharing.
            Pattern(
                r"\b(?P<hit>consent(?:ed|ing|s))\b(?!\s+(?:to|for)\b(?!\s+(?:it|this|that)\b))",
                unless_before=PARENT_AS_SUBJECT,
                unless_after=r"\s+(?:adults?|parties)\b",
                unless_in_sentence=CONSENT_TO_A_PROCESS,
            ),
            r"\bwilling(?:ly)?\s+participa\w*",
            r"\b(?:went|goes|go|going|gone)\s+willingly\b",
            r"\bwillingly\s+(?:went|goes|go|going|gone|got|gets|get|getting)\b",
        ),
        suggestions=("cannot consent to exploitation", "coerced or controlled"),
    ),
    Rule(
        id="promiscuous",
        avoid="promiscuous / risky behaviour",
        patterns=(
            r"\bpromiscu(?:ous|ity|ously)\b",
            Pattern(
                r"\b(?:(?:sexually\s+)?risky|risk[\s-]+taking|high[\s-]+risk)\s+(?:sexual\s+)?"
                r"(?:behaviou?rs?|lifestyles?)\b",
                # "the risky behaviour of the adults involved" is about the adults.
                unless_after=r"\s+of\s+(?:the\s+|these\s+|those\s+)?(?:adults?|men|males?"
                r"|perpetrators?|abusers?|exploiters?|offenders?)\b",
            ),
        ),
        suggestions=("experiencing abuse", "signs of exploitation"),
    ),
    Rule(
        id="going-back-to-exploiters",
        avoid="go back to their exploiters",
        patterns=(
            Pattern(
                r"\b(?:(?:go|goes|going|gone|went|run|runs|running|ran|come|comes|coming|came)"
                r"\s+back|return(?:s|ed|ing)?(?:\s+back)?)\s+to\s+"
                r"(?:(?:his|her|their|the|these|those|them|an?)\s+)?"
                r"(?:exploiters?|abusers?|perpetrators?|groomers?|traffickers?|gangs?|elders|olders"
                r"|ocgs?)\b",
                # "went back to the perpetrator's address" is about a place, not the child.
                unless_after=r"(?:['’]|\s+(?:address|home|house|flat|property)\b)",
            ),
        ),
        suggestions=("being controlled",),
    ),
)

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
