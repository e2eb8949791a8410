"""The children-first language checker: what it flags, where, and what it leaves alone."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cairn.language.checker import Finding, check_text, findings_as_dicts
from cairn.language.phrases import RULES, RULES_BY_ID

# (sentence, the words that must be flagged, rule id). Every table row appears, with several
# tenses, pronouns and spellings.
FLAGGED = [
    # putting themselves at risk
    (
        "She is putting herself at risk by going to the flat.",
        "putting herself at risk",
        "putting-themselves-at-risk",
    ),
    (
        "They keep putting themselves at risk.",
        "putting themselves at risk",
        "putting-themselves-at-risk",
    ),
    ("Jay is putting themself at risk.", "putting themself at risk", "putting-themselves-at-risk"),
    (
        "He put himself at risk of exploitation.",
        "put himself at risk",
        "putting-themselves-at-risk",
    ),
    ("He puts himself at risk.", "puts himself at risk", "putting-themselves-at-risk"),
    ("He was placing himself at risk.", "placing himself at risk", "putting-themselves-at-risk"),
    (
        "She placed herself at significant risk.",
        "placed herself at significant risk",
        "putting-themselves-at-risk",
    ),
    (
        "I kept putting myself at risk, she said.",
        "putting myself at risk",
        "putting-themselves-at-risk",
    ),
    ("You are putting yourself at risk.", "putting yourself at risk", "putting-themselves-at-risk"),
    ("PUTTING HERSELF AT RISK", "PUTTING HERSELF AT RISK", "putting-themselves-at-risk"),
    (
        "She puts herself and her sister at risk.",
        "puts herself and her sister at risk",
        "putting-themselves-at-risk",
    ),
    (
        "She places herself in dangerous situations.",
        "places herself in dangerous situations",
        "putting-themselves-at-risk",
    ),
    ("He puts himself in danger.", "puts himself in danger", "putting-themselves-at-risk"),
    ("He is exposing himself to harm.", "exposing himself to harm", "putting-themselves-at-risk"),
    (
        "She is making herself vulnerable.",
        "making herself vulnerable",
        "putting-themselves-at-risk",
    ),
    # sexually active; sexual activity with
    ("She is sexually active.", "sexually active", "sexually-active"),
    ("A sexually-active 14 year old.", "sexually-active", "sexually-active"),
    ("Reports of sexual activity with an older male.", "sexual activity with", "sexually-active"),
    ("She has been having sex with him.", "having sex with", "sexually-active"),
    # prostituting / prostitute / selling sex
    ("Concerns she is prostituting herself.", "prostituting", "prostitution"),
    ("She is a prostitute.", "prostitute", "prostitution"),
    ("He was described as a child prostitute.", "prostitute", "prostitution"),
    ("She was selling sex for drugs.", "selling sex", "prostitution"),
    ("She sold sex.", "sold sex", "prostitution"),
    ("He sells sex at the station.", "sells sex", "prostitution"),
    ("She has been selling her body.", "selling her body", "prostitution"),
    ("She is exchanging sexual favours for cannabis.", "exchanging sexual favours", "prostitution"),
    ("She is a sex worker.", "sex worker", "prostitution"),
    # in a relationship with an adult / boyfriend
    ("Her boyfriend picked her up.", "boyfriend", "relationship-with-adult"),
    ("Her older boyfriend collected her.", "older boyfriend", "relationship-with-adult"),
    (
        "She is in a relationship with a 25 year old man.",
        "in a relationship with a 25 year old man",
        "relationship-with-adult",
    ),
    (
        "She is in a relationship with a 25-year-old.",
        "in a relationship with a 25-year-old",
        "relationship-with-adult",
    ),
    (
        "She is in a relationship with an adult.",
        "in a relationship with an adult",
        "relationship-with-adult",
    ),
    (
        "She's in a relationship with an older male.",
        "in a relationship with an older male",
        "relationship-with-adult",
    ),
    (
        "He is in a sexual relationship with a 19 year old woman.",
        "in a sexual relationship with a 19 year old woman",
        "relationship-with-adult",
    ),
    ("She has been seeing a 30-year-old.", "seeing a 30-year-old", "relationship-with-adult"),
    ("She is dating an older man.", "dating an older man", "relationship-with-adult"),
    ("She has been sleeping with older men.", "sleeping with older men", "relationship-with-adult"),
    ("Her adult partner was present.", "adult partner", "relationship-with-adult"),
    # contacting adults online
    ("She is contacting adults online.", "contacting adults online", "contacting-adults-online"),
    ("She contacted older men online.", "contacted older men online", "contacting-adults-online"),
    (
        "She has been talking to older men on Snapchat.",
        "talking to older men on Snapchat",
        "contacting-adults-online",
    ),
    ("He chats with strangers online.", "chats with strangers online", "contacting-adults-online"),
    ("She met a man online.", "met a man online", "contacting-adults-online"),
    # involved in CSE / CCE
    ("He was involved in CSE.", "involved in CSE", "involved-in-exploitation"),
    ("She is involved in CCE.", "involved in CCE", "involved-in-exploitation"),
    ("He is involved in county lines.", "involved in county lines", "involved-in-exploitation"),
    (
        "Her involvement in child sexual exploitation.",
        "involvement in child sexual exploitation",
        "involved-in-exploitation",
    ),
    ("He is CCE-involved.", "CCE-involved", "involved-in-exploitation"),
    # associating with gang members / elders
    (
        "He has been associating with gang members.",
        "associating with gang members",
        "associating-with-gangs",
    ),
    ("He is associating with elders.", "associating with elders", "associating-with-gangs"),
    (
        "He associates with known gang members.",
        "associates with known gang members",
        "associating-with-gangs",
    ),
    (
        "He hangs around with older gang members.",
        "hangs around with older gang members",
        "associating-with-gangs",
    ),
    ("He is gang-affiliated.", "gang-affiliated", "associating-with-gangs"),
    # recruited / working for / drug running / money mule / plugging
    ("He was recruited.", "recruited", "criminal-exploitation-as-work"),
    ("recruited", "recruited", "criminal-exploitation-as-work"),
    (
        "He was recruited into county lines by older boys.",
        "recruited",
        "criminal-exploitation-as-work",
    ),
    (
        "The gang has been recruiting children from the estate.",
        "recruiting",
        "criminal-exploitation-as-work",
    ),
    ("He has been working for a dealer.", "working for a dealer", "criminal-exploitation-as-work"),
    ("He is working for a gang.", "working for a gang", "criminal-exploitation-as-work"),
    ("He works for the elders.", "works for the elders", "criminal-exploitation-as-work"),
    (
        "He worked for a local drug dealer.",
        "worked for a local drug dealer",
        "criminal-exploitation-as-work",
    ),
    (
        "He is working for the 'Smoke' line.",
        "working for the 'Smoke' line",
        "criminal-exploitation-as-work",
    ),
    ("Drug running in Kent.", "Drug running", "criminal-exploitation-as-work"),
    ("He is a drug runner.", "drug runner", "criminal-exploitation-as-work"),
    ("He was running county lines.", "running county lines", "criminal-exploitation-as-work"),
    ("He ran drugs to Margate.", "ran drugs", "criminal-exploitation-as-work"),
    ("He is a money mule.", "money mule", "criminal-exploitation-as-work"),
    ("He is a cash mule.", "cash mule", "criminal-exploitation-as-work"),
    ("He has been plugging.", "plugging", "criminal-exploitation-as-work"),
    ("He plugged the drugs.", "plugged", "criminal-exploitation-as-work"),
    # keeps going missing / absconding
    ("She keeps going missing.", "keeps going missing", "keeps-going-missing"),
    ("He kept going missing over the summer.", "kept going missing", "keeps-going-missing"),
    ("He keeps running away from placement.", "keeps running away", "keeps-going-missing"),
    ("She is constantly going missing.", "constantly going missing", "keeps-going-missing"),
    ("He absconded from placement.", "absconded", "keeps-going-missing"),
    ("Absconding again last night.", "Absconding", "keeps-going-missing"),
    ("She absconds most weekends.", "absconds", "keeps-going-missing"),
    ("She is an absconder.", "absconder", "keeps-going-missing"),
    # lifestyle choice / consented / consensual
    ("It was a lifestyle choice.", "lifestyle choice", "consent"),
    ("She chose this lifestyle.", "chose this lifestyle", "consent"),
    ("She said she consented.", "consented", "consent"),
    ("She consented to sex with him.", "consented", "consent"),
    ("She said she consented to it.", "consented", "consent"),
    ("She told the sexual health nurse she had consented.", "consented", "consent"),
    ("She disclosed that she consented.", "consented", "consent"),
    ("She says it is consensual.", "consensual", "consent"),
    ("She was a willing participant.", "willing participant", "consent"),
    ("She went willingly.", "went willingly", "consent"),
    # promiscuous / risky behaviour
    ("She is promiscuous.", "promiscuous", "promiscuous"),
    ("Concerns about her promiscuity.", "promiscuity", "promiscuous"),
    ("Risky behaviour noted.", "Risky behaviour", "promiscuous"),
    ("He displays risky behaviours.", "risky behaviours", "promiscuous"),
    ("Risk-taking behaviour continues.", "Risk-taking behaviour", "promiscuous"),
    ("She engages in risky sexual behavior.", "risky sexual behavior", "promiscuous"),
    # go back to their exploiters
    ("She went back to her exploiters.", "went back to her exploiters", "going-back-to-exploiters"),
    (
        "She will go back to their exploiters.",
        "go back to their exploiters",
        "going-back-to-exploiters",
    ),
    (
        "She keeps going back to her abusers.",
        "going back to her abusers",
        "going-back-to-exploiters",
    ),
    ("He is going back to the gang.", "going back to the gang", "going-back-to-exploiters"),
    ("She returned to her abuser.", "returned to her abuser", "going-back-to-exploiters"),
]

# Proper usage and ordinary safeguarding sentences: none of these may be flagged.
NOT_FLAGGED = [
    # The checker's own suggestions must not trip it.
    "She cannot consent to exploitation.",
    "A child is unable to consent to their own abuse.",
    "Mum was asked and consented.",
    "She is at risk of exploitation.",
    "He is at high risk of criminal exploitation.",
    "She was asked for consent to a referral and agreed.",
    "She consented to information sharing.",
    "She consented to the referral.",
    "He consented to the referral to the NRM.",
    "Mum gave consent to share information with the police.",
    "She did not want the referral at first but later consented.",
    "Asked about sharing information with the police, he consented.",
    "Written consent was obtained from mum.",
    "Mum consented.",
    "The risky behaviour of the adults involved was discussed.",
    "She was found at a flat with two adult males.",
    "She is in a relationship with a 16 year old boy from school.",
    "She went back to her mum's.",
    "He went back to the gang's address to collect his phone.",
    "Her father has consented.",
    "She is below the age of consent.",
    "The youth worker is working with her.",
    "The team are working with the family.",
    "Her relationship with her foster carer is strong.",
    "She has a good relationship with her social worker.",
    "He has a trusting relationship with his key worker.",
    "She is in a relationship with a boy from her class.",
    "The adult was putting the child at risk.",
    "Her mother is putting her at risk.",
    "He was putting them at risk of harm.",
    "She was put at risk by the adults at the address.",
    "This was her third missing episode.",
    "She was reported missing at 22:00.",
    "She went missing on Friday and returned on Sunday.",
    "The risks associated with gang membership were discussed.",
    "The police are involved in the CSE investigation.",
    "Practitioners involved in CSE work attended.",
    "The service recruited two new foster carers.",
    "We are recruiting volunteers for the mentoring scheme.",
    "Foster carer recruitment is a priority.",
    "He plugged the phone in.",
    "She plugged it in to charge.",
    "He works for the council.",
    "Her line manager works for the local authority.",
    "The officer went back to the perpetrator's address.",
    "She was seen by the school nurse.",
    "A return home interview was offered within 72 hours.",
    "Police completed a safe and well check.",
    "The child disclosed that an adult had been contacting her online.",
    "The adults were contacting children online.",
    "She has been groomed by an older man.",
    "Concerns that she is being criminally exploited.",
    "He is a victim of criminal exploitation.",
    "Adults have been contacting the child.",
    "The strategy meeting agreed a safety plan.",
    "He attended school every day this week.",
    "",
]


def _spans(text: str) -> list[tuple[int, int, str, str]]:
    return [(f.start, f.end, f.text, f.rule) for f in check_text(text)]


@pytest.mark.parametrize(("sentence", "phrase", "rule"), FLAGGED)
def test_flags_blaming_phrase_with_exact_span(sentence: str, phrase: str, rule: str) -> None:
    start = sentence.index(phrase)
    assert _spans(sentence) == [(start, start + len(phrase), phrase, rule)]


@pytest.mark.parametrize("sentence", NOT_FLAGGED)
def test_leaves_proper_usage_alone(sentence: str) -> None:
    assert check_text(sentence) == []


def test_every_table_row_has_a_flagged_example() -> None:
    assert {rule for _, _, rule in FLAGGED} == {rule.id for rule in RULES}


def test_every_rule_offers_suggestions_from_the_prefer_column() -> None:
    assert RULES_BY_ID["putting-themselves-at-risk"].suggestions == (
        "may have been groomed",
        "the situation gives a perpetrator opportunity to abuse them",
    )
    assert all(rule.suggestions and rule.avoid for rule in RULES)


def test_finding_carries_the_rules_suggestions() -> None:
    [finding] = check_text("He keeps going missing.")
    assert finding.suggestions == ("is missing", "may be being trafficked or controlled")


def test_several_findings_come_back_in_order_with_offsets_into_the_original_text() -> None:
    text = "Zoë 👧 keeps going missing; she is putting herself at risk and says it's consensual."
    findings = check_text(text)
    assert [f.text for f in findings] == [
        "keeps going missing",
        "putting herself at risk",
        "consensual",
    ]
    assert all(text[f.start : f.end] == f.text for f in findings)
    assert findings[0].start == text.index("keeps")


def test_phrases_split_across_lines_are_still_found() -> None:
    text = "She keeps going\nmissing."
    assert _spans(text) == [(4, 23, "keeps going\nmissing", "keeps-going-missing")]


def test_context_in_one_sentence_does_not_excuse_another() -> None:
    text = "She agreed to the referral. Later she said she consented."
    assert [f.text for f in check_text(text)] == ["consented"]


def test_overlapping_matches_keep_the_earliest_and_longest() -> None:
    text = "She is in a sexual relationship with an older man."
    assert [f.text for f in check_text(text)] == [
        "in a sexual relationship with an older man",
    ]


def test_finding_is_frozen() -> None:
    [finding] = check_text("She is promiscuous.")
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.start = 0  # type: ignore[misc]


def test_findings_as_dicts_is_json_ready() -> None:
    findings = check_text("He was recruited.")
    assert findings_as_dicts(findings) == [
        {
            "start": 7,
            "end": 16,
            "text": "recruited",
            "suggestions": [
                "criminally exploited",
                "being made to carry or conceal drugs or money",
            ],
        }
    ]


# --- properties -------------------------------------------------------------------------------

_FRAGMENTS = [phrase for _, phrase, _ in FLAGGED] + [
    "at risk",
    "consent to a referral",
    "working with",
    "missing episode",
    " ",
    ". ",
    "\n",
    "herself",
    "'",
]
_TEXT = st.one_of(
    st.text(),
    st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=5))).map("".join),
)


def _assert_well_formed(text: str, findings: list[Finding]) -> None:
    previous_end = 0
    for finding in findings:
        assert 0 <= finding.start < finding.end <= len(text)
        assert text[finding.start : finding.end] == finding.text
        assert finding.start >= previous_end, "findings overlap or are out of order"
        assert finding.rule in RULES_BY_ID
        assert finding.suggestions == RULES_BY_ID[finding.rule].suggestions
        previous_end = finding.end


@given(_TEXT)
def test_spans_always_index_the_original_text_in_order_without_overlap(text: str) -> None:
    _assert_well_formed(text, check_text(text))


@given(st.sampled_from(FLAGGED), st.text(max_size=20), st.text(max_size=20))
def test_a_blaming_phrase_is_found_wherever_it_sits(
    case: tuple[str, str, str], before: str, after: str
) -> None:
    sentence, _, _ = case
    # Line breaks end sentences, so the surrounding text cannot lend the phrase a proper context.
    text = f"{before}\n{sentence}\n{after}"
    findings = check_text(text)
    _assert_well_formed(text, findings)
    assert findings, f"nothing found in {text!r}"


@pytest.mark.parametrize("suggestion", sorted({s for rule in RULES for s in rule.suggestions}))
def test_no_suggestion_in_the_table_is_itself_flagged(suggestion):
    assert check_text(suggestion) == []
