"""The phrasebook: how war reporting states that a village changed hands, and the traps that must not read as
a change. It is the spec of the understanding step, tested only through `extract(...).to_contract()`.

Every sentence here is written for these tests (village names are real ones, the events are invented).
Sides: government, kurdish-led, opposition, islamic-state, turkey.
"""

from __future__ import annotations

from typing import Any

import pytest

from villagewatch.ingest.parse import build_report, parse_text
from villagewatch.understanding.extract import extract

PUBLISHED = "2016-03-10"  # a Thursday


def read(text: str, published: str | None = PUBLISHED) -> list[dict[str, Any]]:
    """The control changes `extract` reports for a report holding `text`."""
    fields = parse_text(text)
    if published is not None:
        fields["published"] = published
    return extract(build_report(fields)).to_contract()["control_changes"]


def news(text: str) -> set[tuple[str, str]]:
    """(place, new side) of every change the report tells as news (not background)."""
    return {(c["place"], c["new_controller"]) for c in read(text) if not c["background"]}


def anything(text: str) -> set[tuple[str, str]]:
    """(place, new side) of every change, background or not: a trap must give none of these."""
    return {(c["place"], c["new_controller"]) for c in read(text)}


def with_previous(text: str) -> set[tuple[str, str, str | None]]:
    return {(c["place"], c["new_controller"], c["previous_controller"]) for c in read(text) if not c["background"]}


def case(id_: str, text: str, *expected: tuple[str, ...]) -> Any:
    return pytest.param(text, set(expected), id=id_)


# --- Verbs: active voice, past tense and present perfect -------------------------------------------------

VERBS = [
    case("captured", "The Syrian Arab Army captured the village of Tal Arn on Tuesday.", ("Tal Arn", "government")),
    case("has-captured", "The SDF has captured the town of Suluk after a week of fighting.", ("Suluk", "kurdish-led")),
    case("recaptured", "Government forces recaptured the village of Khanasir on Sunday.", ("Khanasir", "government")),
    case("have-recaptured", "Rebels have recaptured the town of Morek.", ("Morek", "opposition")),
    case("seized", "Islamic State fighters seized the village of Mahin at dawn.", ("Mahin", "islamic-state")),
    case("has-seized", "Hayat Tahrir al-Sham has seized the town of Saraqeb.", ("Saraqeb", "opposition")),
    case("seized-control-of", "The YPG seized control of the village of Tal Brak on Monday.",
         ("Tal Brak", "kurdish-led")),
    case("took-control-of", "The YPG took control of the village of Kharrata near Hasakah on Monday.",
         ("Kharrata", "kurdish-led")),
    case("has-taken-control-of", "Government troops have taken control of the town of Umm Mayal.",
         ("Umm Mayal", "government")),
    case("took-control-of-a-directional-name", "The SDF took control of the village of Eastern Rajman on Monday.",
         ("Eastern Rajman", "kurdish-led")),
    case("seized-in-the-countryside", "Government troops seized the town of Umm Mayal in the Hasakah countryside.",
         ("Umm Mayal", "government")),
    case("captured-bare-name", "The Syrian Arab Army captured Tal Dhahab after two days of fighting.",
         ("Tal Dhahab", "government")),
    case("took", "The army took the village of Souran after heavy fighting.", ("Souran", "government")),
    case("took-over", "The Free Syrian Army took over the village of Qabasin on Friday.", ("Qabasin", "opposition")),
    case("took-over-turkish-army", "The Turkish army took over the village of Qasimiya on Friday.",
         ("Qasimiya", "turkey")),
    case("captured-north-of", "Turkish-backed factions captured the town of Dardara north of Tal Tamr.",
         ("Dardara", "opposition")),
    case("has-taken-over", "Turkish troops have taken over the village of Dardara.", ("Dardara", "turkey")),
    case("retook", "The SDF retook the village of Tal Shamiran overnight.", ("Tal Shamiran", "kurdish-led")),
    case("has-retaken", "Islamic State militants have retaken the village of Rawiya.", ("Rawiya", "islamic-state")),
    case("regained", "Regime forces regained the village of Maan on Wednesday.", ("Maan", "government")),
    case("regained-control-of", "Kurdish fighters regained control of the village of Abu Qasayeb.",
         ("Abu Qasayeb", "kurdish-led")),
    case("restored-control-over", "The Syrian army restored control over the town of Qaryatayn.",
         ("Qaryatayn", "government")),
    case("wrested-control-from", "The SDF wrested control of the village of Hazima from the Islamic State.",
         ("Hazima", "kurdish-led")),
    case("liberated", "The SDF liberated the village of Jadid Ekeidat on Saturday.", ("Jadid Ekeidat", "kurdish-led")),
    case("has-liberated", "The Syrian Arab Army has liberated the town of Sukhnah.", ("Sukhnah", "government")),
    case("freed", "Kurdish fighters freed the village of Tal Nasri from IS.", ("Tal Nasri", "kurdish-led")),
    case("overran", "Islamic State militants overran the village of Tal Dhahab.", ("Tal Dhahab", "islamic-state")),
    case("drove-out-of", "The SDF drove IS out of the village of Susah.", ("Susah", "kurdish-led")),
    case("pushed-out-of", "Government troops pushed the rebels out of the town of Latamneh.",
         ("Latamneh", "government")),
    case("expelled-from", "The YPG expelled ISIS from the village of Tal Abyad Sharqi after a day of fighting.",
         ("Tal Abyad Sharqi", "kurdish-led")),
    case("ousted-from", "Rebels ousted government forces from the village of Kafr Nabudah.",
         ("Kafr Nabudah", "opposition")),
    case("cleared-of", "The Syrian Arab Army cleared the village of Tadef of Islamic State fighters.",
         ("Tadef", "government")),
    case("withdrew-other-side-named", "Islamic State fighters withdrew from the town of Dabiq as Free Syrian Army "
         "units advanced.", ("Dabiq", "opposition")),
    case("fell-to", "The town of Khan Shaykhun fell to government forces on Wednesday.",
         ("Khan Shaykhun", "government")),
    case("has-fallen-to", "The village of Mabaja has fallen to Islamic State fighters.", ("Mabaja", "islamic-state")),
    case("fell-into-the-hands-of", "The village of Akhtarin fell into the hands of the Islamic State.",
         ("Akhtarin", "islamic-state")),
    case("lost-to", "The rebels lost the village of Hamidiyeh to government troops.", ("Hamidiyeh", "government")),
    case("surrendered-to", "Islamic State fighters surrendered the village of Baghouz to the SDF.",
         ("Baghouz", "kurdish-led")),
    case("handed-over-to", "The SDF handed the village of Arima over to government forces.", ("Arima", "government")),
    case("entered-and-secured", "SDF fighters entered and secured the village of Kharrata.",
         ("Kharrata", "kurdish-led")),
    case("entered-and-took-over", "The YPG entered and took over the village of Kharrata on Monday.",
         ("Kharrata", "kurdish-led")),
    case("is-now-under-the-control-of", "After two days of fighting, the village of Tal Samen is now under the "
         "control of the SDF.", ("Tal Samen", "kurdish-led")),
    case("came-under-control", "The town of Tabqa came under SDF control on Thursday.", ("Tabqa", "kurdish-led")),
    case("regained-control-over", "Islamic State militants regained control over Rawiya village, local sources "
         "said.", ("Rawiya", "islamic-state")),
    case("declared-under-control", "The following villages were declared under Syrian Government control on "
         "Saturday: Jazaa, Hamra.", ("Jazaa", "government"), ("Hamra", "government")),
    case("now-in-full-control-of", "Government forces are now in full control of the town of Kafr Hamra.",
         ("Kafr Hamra", "government")),
    case("declared-free-of", "The SDF pressed on. The village of Tal Dahab was declared free of Islamic State "
         "fighters on Monday.", ("Tal Dahab", "kurdish-led")),
    case("now-clear-of", "Rebels shelled the area all week. The town of Kafr Hamra is now clear of government "
         "troops.", ("Kafr Hamra", "opposition")),
    case("back-in-the-hands-of", "The town of Kafr Hamra is back in the hands of the Syrian army after a year of "
         "rebel rule.", ("Kafr Hamra", "government")),
    case("vacated", "Islamic State fighters vacated the village of Tal Dahab after the SDF advanced.",
         ("Tal Dahab", "kurdish-led")),
    case("expanded-control-to", "Government forces expanded their control to the village of Tal Dahab.",
         ("Tal Dahab", "government")),
    case("now-in-the-hands-of", "The town of Khan Tuman is now in the hands of rebel fighters.",
         ("Khan Tuman", "opposition")),
    case("raised-flag-over", "SDF fighters raised their flag over the village of Susah on Monday.",
         ("Susah", "kurdish-led")),
    case("claimed-control-of", "The Islamic State claimed control of the village of Tal Arn on Monday.",
         ("Tal Arn", "islamic-state")),
    case("lost-control-of-to", "The rebels lost control of the village of Hamidiyeh to government troops.",
         ("Hamidiyeh", "government")),
    case("took-back", "Government troops took back the village of Khanasir on Sunday.", ("Khanasir", "government")),
    case("completed-the-takeover", "The SDF completed the takeover of the town of Hajin on Friday.",
         ("Hajin", "kurdish-led")),
    case("fighters-loyal-to", "Fighters loyal to the government took the village of Hamidiyeh on Friday.",
         ("Hamidiyeh", "government")),
    case("fell-after-a-siege", "Government forces besieged the town of Kafr Hamra for a month. The town fell on "
         "Friday.",
         ("Kafr Hamra", "government")),
    case("was-handed-over", "Under a local deal, the village of Arima was handed over to government forces.",
         ("Arima", "government")),
]


@pytest.mark.parametrize(("text", "expected"), VERBS)
def test_verbs(text: str, expected: set[tuple[str, str]]) -> None:
    assert news(text) == expected


# --- Voice: passive, reduced relative, nominal -----------------------------------------------------------

VOICE = [
    case("passive", "The village of Abu Qasayeb was captured by the YPG on Tuesday.", ("Abu Qasayeb", "kurdish-led")),
    case("passive-pair", "Hajin and Susah were retaken by the SDF on Sunday.",
         ("Hajin", "kurdish-led"), ("Susah", "kurdish-led")),
    case("passive-perfect", "The town of Markada has been liberated by the SDF.", ("Markada", "kurdish-led")),
    case("passive-seized", "Tal Rifaat was seized by Kurdish fighters in February.", ("Tal Rifaat", "kurdish-led")),
    case("reduced-relative", "The villages captured by the SDF on Monday include Mansoura and Karama.",
         ("Mansoura", "kurdish-led"), ("Karama", "kurdish-led")),
    case("reduced-relative-among", "Among the villages taken by government forces were Souran and Morek.",
         ("Souran", "government"), ("Morek", "government")),
    case("were-among-the-villages", "Souran and Morek were among the villages retaken by government forces.",
         ("Souran", "government"), ("Morek", "government")),
    case("nominal-capture-of-by", "The capture of Um Kheir by the SDF came after a week of clashes.",
         ("Um Kheir", "kurdish-led")),
    case("nominal-possessive", "The SDF's capture of Tal Brak on Monday cut the road to Qamishli.",
         ("Tal Brak", "kurdish-led")),
    case("nominal-liberation-of-by", "Following the liberation of Dabiq by Free Syrian Army units on Sunday, "
         "families began to return.", ("Dabiq", "opposition")),
    case("nominal-fall-to", "The fall of Khan Shaykhun to government forces on Tuesday opened the road north.",
         ("Khan Shaykhun", "government")),
]


@pytest.mark.parametrize(("text", "expected"), VOICE)
def test_voice(text: str, expected: set[tuple[str, str]]) -> None:
    assert news(text) == expected


# --- List shapes -----------------------------------------------------------------------------------------

LISTS = [
    case("a-bulletin-s-liberated-colon", "Rebels launched an offensive west of Aleppo at dawn.\n\n"
         "✅ Liberated: Tal Arn\n✅ Liberated: Khanasir", ("Tal Arn", "opposition"), ("Khanasir", "opposition")),
    case("also-freed-colon-a-and-b", "Rebels attacked at dawn.\n\n🔸 Also freed: Mahin and Tal Arn on the eastern side",
         ("Mahin", "opposition"), ("Tal Arn", "opposition")),
    case("a-name-the-parse-cut-after-its-first-word", "The SDF had taken over Deir ez-Zor city on Friday.",
         ("Deir ez-Zor", "kurdish-led")),
    case("a-hashtag-names-the-place", "Rebels stormed and took the town of #Kafr_Nabuda at dawn today.",
         ("Kafr Nabuda", "opposition")),
    case("neighbouring-before-a-name", "Neighbouring al-Zara had already fallen to the army on 8 March.",
         ("al-Zara", "government")),
    case("the-rebel-stronghold-of-a", "Government forces captured the rebel stronghold of Harasta on Sunday.",
         ("Harasta", "government")),
    case("a-headline-s-bastion-of-a", "Army and allies take jihadist bastion of Dardara near the border",
         ("Dardara", "government")),
    case("among-the-villages-that-fell", "IS overran ten villages on Monday. Among the villages that fell were Tal "
         "Baydar, Dardara and Tal Samin.", ("Tal Baydar", "islamic-state"), ("Dardara", "islamic-state"),
         ("Tal Samin", "islamic-state")),
    case("villages-of-a-b-and-c", "Kurdish fighters liberated the villages of Ain Halwa, Kifsheh and Qasr Fadil "
         "from ISIS.", ("Ain Halwa", "kurdish-led"), ("Kifsheh", "kurdish-led"), ("Qasr Fadil", "kurdish-led")),
    case("villages-oxford-comma", "The army captured the villages of Khanasir, Mahin, and Tal Arn.",
         ("Khanasir", "government"), ("Mahin", "government"), ("Tal Arn", "government")),
    case("towns-of-a-and-b", "Government troops recaptured the towns of Morek and Latamneh.",
         ("Morek", "government"), ("Latamneh", "government")),
    case("a-b-and-c-villages", "The SDF liberated Mansoura, Karama and Hazima villages on Saturday.",
         ("Mansoura", "kurdish-led"), ("Karama", "kurdish-led"), ("Hazima", "kurdish-led")),
    case("villages-and-several-farms", "Islamic State militants seized the villages of Tal Nasri, Tal Shamiran, "
         "Tal Baydar and several farms.", ("Tal Nasri", "islamic-state"), ("Tal Shamiran", "islamic-state"),
         ("Tal Baydar", "islamic-state")),
    case("several-villages-including", "Kurdish fighters captured several villages including Tal Jamaa and "
         "Khirbet Sheikh.", ("Tal Jamaa", "kurdish-led"), ("Khirbet Sheikh", "kurdish-led")),
    case("village-of-a-and-town-of-b", "Rebels captured the village of Maan and the town of Souran.",
         ("Maan", "opposition"), ("Souran", "opposition")),
    case("villages-in-the-countryside", "The SDF captured the villages of Hamra and Jazaa in the Raqqa countryside.",
         ("Hamra", "kurdish-led"), ("Jazaa", "kurdish-led")),
    case("bare-pair", "SDF units recaptured Tal Jamaa and Khirbet Sheikh late on Sunday.",
         ("Tal Jamaa", "kurdish-led"), ("Khirbet Sheikh", "kurdish-led")),
    case("in-addition-to", "Rebels captured the villages of Dabiq and Sawran, in addition to the town of Akhtarin.",
         ("Dabiq", "opposition"), ("Sawran", "opposition"), ("Akhtarin", "opposition")),
    case("name-then-noun-in-list", "Government forces took the towns of Nawa city, Jassem and Inkhil.",
         ("Nawa", "government"), ("Jassem", "government"), ("Inkhil", "government")),
    case("areas-inside-a-list", "Government forces captured the villages of Dabiq and Sawran in the Lajat area, and "
         "Ihtimilat in the Yarmouk valley.", ("Dabiq", "government"), ("Sawran", "government"),
         ("Ihtimilat", "government")),
    case("semicolons", "The SDF liberated the villages of Dabiq; Sawran; Ihtimilat.", ("Dabiq", "kurdish-led"),
         ("Sawran", "kurdish-led"), ("Ihtimilat", "kurdish-led")),
    case("such-as", "Rebels captured several villages such as Dabiq and Sawran on Monday.", ("Dabiq", "opposition"),
         ("Sawran", "opposition")),
    case("among-them", "Government forces took four villages, among them Dabiq and Sawran.", ("Dabiq", "government"),
         ("Sawran", "government")),
    case("outlet-after-a-list-is-no-place", "Government forces expelled rebels from the villages of Tal Jabin and "
         "Duwayr al-Zaytun, SANA said.", ("Tal Jabin", "government"), ("Duwayr al-Zaytun", "government")),
    case("arab-in-a-village-name", "The SDF handed over the villages of Awn al-Dadat and Arab Hassan to government "
         "forces on Monday.", ("Awn al-Dadat", "government"), ("Arab Hassan", "government")),
    case("two-villages-comma-names", "Rebels seized two villages, Tal Dahab and Jubb Ramla, on Monday.",
         ("Tal Dahab", "opposition"), ("Jubb Ramla", "opposition")),
    case("two-spellings-alike-are-two-villages", "Government forces seized the villages of Latamneh and Latmeen "
         "in the Hama countryside.", ("Latamneh", "government"), ("Latmeen", "government")),
    case("in-the-west-of-a-town-inside-a-list", "The villages of Dabiq and Sawran in the west of Azaz town and "
         "Ihtimilat village were captured by rebels.", ("Dabiq", "opposition"), ("Sawran", "opposition"),
         ("Ihtimilat", "opposition")),
    case("as-well-as-the-majority-town-of", "Rebels captured Dabiq and Sawran, as well as the Christian-majority "
         "town of Mhardeh.", ("Dabiq", "opposition"), ("Sawran", "opposition"), ("Mhardeh", "opposition")),
    case("hill-and-adjacent-villages-of", "Rebels took control of the Tal Hamra hill and three adjacent villages of "
         "Dabiq, Sawran and Ihtimilat.", ("Dabiq", "opposition"), ("Sawran", "opposition"),
         ("Ihtimilat", "opposition")),
    case("control-of-bare-name", "Syrian troops took control of Kafr Nabudah.", ("Kafr Nabudah", "government")),
    # bullets, a doubled comma, "as well as to", "the latest of them", "communities, including"
    case("bulleted-list", "SDF fighters liberated the following villages from IS: - Tal Nasri, - Kharrata, - Tal "
         "Baydar.", ("Tal Nasri", "kurdish-led"), ("Kharrata", "kurdish-led"), ("Tal Baydar", "kurdish-led")),
    case("doubled-comma", "The army took the villages of Tal Nasri,, Kharrata and Tal Baydar on Monday.",
         ("Tal Nasri", "government"), ("Kharrata", "government"), ("Tal Baydar", "government")),
    case("restored-security-after-manner-and-time-as-well-as-to", "Army units, in cooperation with allied forces, "
         "restored security on Sunday to the town of Tal Tamr, as well as to the villages of Kharrata and Tal Nasri.",
         ("Tal Tamr", "government"), ("Kharrata", "government"), ("Tal Nasri", "government")),
    case("the-latest-of-them", "More than 100 villages and farms around the town had been liberated during the "
         "campaign, the latest of them Kharrata and Tal Nasri on Thursday, the YPG said.",
         ("Kharrata", "kurdish-led"), ("Tal Nasri", "kurdish-led")),
    case("communities-including", "Government of Syria (GoS) forces took control of more than 20 communities held "
         "by non-state armed groups (NSAGs), including Kharrata and Tal Nasri.", ("Kharrata", "government"),
         ("Tal Nasri", "government")),
]


@pytest.mark.parametrize(("text", "expected"), LISTS)
def test_list_shapes(text: str, expected: set[tuple[str, str]]) -> None:
    assert news(text) == expected


# --- Actor forms -----------------------------------------------------------------------------------------

ACTORS = [
    ("The Syrian Arab Army", "government"),
    ("The SAA", "government"),
    ("The YPG", "kurdish-led"),
    ("The SDF", "kurdish-led"),
    ("The Islamic State", "islamic-state"),
    ("ISIS", "islamic-state"),
    ("IS militants", "islamic-state"),
    ("The Free Syrian Army", "opposition"),
    ("Hayat Tahrir al-Sham", "opposition"),
    ("The Syrian National Army", "opposition"),
    ("Government troops", "government"),
    ("Regime forces", "government"),
    ("Pro-government militias", "government"),
    ("Hezbollah", "government"),
    ("Russian-backed Syrian troops", "government"),
    ("Kurdish fighters", "kurdish-led"),
    ("Kurdish-led forces", "kurdish-led"),
    ("US-backed forces", "kurdish-led"),
    ("Turkish-backed factions", "opposition"),
    ("Rebels", "opposition"),
    ("Turkish troops", "turkey"),
    ("Ankara-backed militants", "opposition"),
    ("Moscow-backed troops", "government"),
    ("Tehran-backed militias", "government"),
    ("Washington-backed fighters", "kurdish-led"),
    ("Turkish and allied forces", "turkey"),
]


@pytest.mark.parametrize(("actor", "side"), [pytest.param(a, s, id=a) for a, s in ACTORS])
def test_named_actors(actor: str, side: str) -> None:
    assert news(f"{actor} captured the village of Tal Arn on Monday.") == {("Tal Arn", side)}


GENERIC = [
    case("the-army", "Government forces pressed on all week. On Tuesday the army captured the village of Khanasir.",
         ("Khanasir", "government")),
    case("troops", "Troops captured the village of Mahin after a two-day battle.", ("Mahin", "government")),
    case("militants-in-an-is-report", "The Islamic State has lost ground across the province this year. On Monday, "
         "however, militants captured the village of Tal Arn.", ("Tal Arn", "islamic-state")),
    case("jihadists-in-an-is-report", "ISIS attacked Kurdish positions north of Raqqa. The jihadists seized the "
         "village of Hazima on Sunday.", ("Hazima", "islamic-state")),
    case("militants-in-an-hts-report", "Hayat Tahrir al-Sham sent reinforcements to the front. The militants "
         "captured the village of Maan on Friday.", ("Maan", "opposition")),
    case("the-group-after-speaker", "“We were able to regain the villages of Gharbi Awsat and Shamali,” a YPG "
         "commander told reporters.", ("Gharbi Awsat", "kurdish-led"), ("Shamali", "kurdish-led")),
    case("now-controls", "Government troops now control the village of Tal Dahab after a night of fighting.",
         ("Tal Dahab", "government")),
    case("returned-to-control", "The town of Khan Tuman returned to government control on Sunday.",
         ("Khan Tuman", "government")),
    case("announced-the-liberation", "The SDF announced the liberation of the village of Susah on Monday.",
         ("Susah", "kurdish-led")),
    case("relative-passive", "Fighting continued near Tal Dahab, which was captured by government forces on "
         "Monday.", ("Tal Dahab", "government")),
    case("militants-from-a-group", "Militants from the Islamic State overran the town of Akhtarin on Wednesday "
         "after clashes with Free Syrian Army units.", ("Akhtarin", "islamic-state")),
    case("army-units-after-a-place", "In the Hama countryside, army units also recaptured the village of Tal "
         "Dahab.", ("Tal Dahab", "government")),
    case("relative-after-a-resident", "A resident of Tal Dahab village, which was captured by government forces "
         "on Monday, said shops stayed shut.", ("Tal Dahab", "government")),
    case("fell-out-of-control", "Rebels advanced all week. By Friday the town of Kafr Hamra had fallen out of the "
         "government's control.", ("Kafr Hamra", "opposition")),
    case("kurdish-orthography", "Turkish-backed factions captured the villages of Şêxê and Qestelê Cindo on "
         "Monday.", ("Şêxê", "opposition"), ("Qestelê Cindo", "opposition")),
    case("liberated-from-said-speaker", "The village of Tal Baydar was liberated from the Islamic State on Monday, "
         "the SDF said.", ("Tal Baydar", "kurdish-led")),
    case("which-rebels-captured", "Government troops are trying to retake Kafr Hamra, which rebels captured last "
         "week.", ("Kafr Hamra", "opposition")),
    case("said-they-retook", "Government troops shelled the area. The rebels said they repelled an attack and "
         "retook the village of Marea on Sunday.", ("Marea", "opposition")),
    case("forced-to-retreat", "Government troops forced Islamic State fighters to retreat from the village of "
         "Tal Dahab on Monday.", ("Tal Dahab", "government")),
    case("were-forced-to-withdraw", "After a week of clashes with the SDF, Islamic State fighters were forced to "
         "withdraw from the village of Susah.", ("Susah", "kurdish-led")),
    case("entered-under-a-deal", "Government forces entered the town of Busra al-Harir on Sunday under a "
         "reconciliation deal with local rebels.", ("Busra al-Harir", "government")),
    case("deployed-after-settlement", "Under the settlement agreement, Russian military police and government "
         "troops deployed in the town of Nawa.", ("Nawa", "government")),
    case("evacuation-of-rebels-from", "The evacuation of rebels from the town of Douma was completed on Saturday "
         "and government forces took over.", ("Douma", "government")),
    case("announced-its-forces-captured", "The SDF announced that its forces had captured the village of Susah.",
         ("Susah", "kurdish-led")),
    case("the-town-after-a-bare-name", "Government forces captured Kafr Hamra on Sunday. Rebels retook the town "
         "on Tuesday.", ("Kafr Hamra", "government"), ("Kafr Hamra", "opposition")),
    case("cleared-without-agent", "Army units pressed on south of the city for a week. The villages of Jubb Ramla "
         "and Tal Dahab were cleared of militants on Monday.", ("Jubb Ramla", "government"),
         ("Tal Dahab", "government")),
    case("expelled-without-agent-named-loser", "The SDF pressed its offensive along the river. Islamic State "
         "fighters were expelled from the village of Susah on Sunday.", ("Susah", "kurdish-led")),
    case("changed-hands-as-x-advanced", "The village of Tal Baydar changed hands on Sunday as the SDF advanced.",
         ("Tal Baydar", "kurdish-led")),
    case("reasserted-control-over", "The army has reasserted control over the village of Tal Dahab.",
         ("Tal Dahab", "government")),
    case("they-after-army-units", "Army units advanced east of Hama on Monday. They captured the village of Tal "
         "Dahab and the town of Souran.", ("Tal Dahab", "government"), ("Souran", "government")),
    case("the-government-as-actor", "The government recaptured Tal Dahab, the Observatory said.",
         ("Tal Dahab", "government")),
    case("forces-opposing-assad", "Forces opposing President Bashar al-Assad seized the town of Morek.",
         ("Morek", "opposition")),
    case("entered-after-the-other-side-withdrew", "Government forces entered al-Qaryatain after Islamic State "
         "militants withdrew overnight.", ("al-Qaryatain", "government")),
    case("moved-into-after-pulled-out", "Government troops moved into Maaloula after rebels pulled out.",
         ("Maaloula", "government")),
    case("retaken-said-state-television", "Maaloula was retaken from the rebels, Syrian state television said.",
         ("Maaloula", "government")),
    case("its-troops-after-a-named-speaker", "The Turkish military said its troops had taken the town of Jindires "
         "after days of strikes.", ("Jindires", "turkey")),
    case("our-forces-in-an-army-statement", "\u201cOur forces have liberated the villages of Tadef and Abu Taltal,"
         "\u201d an army statement broadcast on state TV said.", ("Tadef", "government"), ("Abu Taltal", "government")),
    case("a-name-the-tokenizer-splits", "Fighters from Jaysh al-Islam took over the village of al-Rayhan after "
         "government troops withdrew.", ("al-Rayhan", "opposition")),
    case("pulled-out-as-others-advanced", "Islamic State fighters pulled out of the town of al-Mayadin as government "
         "troops advanced from the west.", ("al-Mayadin", "government")),
    case("druze-militiamen", "Local Druze militiamen drove Islamic State attackers out of the village of al-Shbeki.",
         ("al-Shbeki", "other")),
    case("special-mission-forces-division", "The 25th Special Mission Forces Division took the village of Kafr "
         "Rumah, a military source said.", ("Kafr Rumah", "government")),
    case("swept-into-routing", "Rebels swept into the village of Karnaz early on Saturday, routing government troops.",
         ("Karnaz", "opposition")),
    case("a-dateline-is-no-subject", "BEIRUT (Example Wire) - The SDF liberated the town of al-Hol on Friday.",
         ("al-Hol", "kurdish-led")),
    case("left-under-a-deal-then-entered-the-town", "Rebels left al-Tall for Idlib under a reconciliation agreement on "
         "Friday. Government forces then entered the town.", ("al-Tall", "government")),
    case("declared-the-town-back-under-control", "Rebels took Saraqeb on Thursday. On Monday state media declared the "
         "town back under army control.", ("Saraqeb", "opposition"), ("Saraqeb", "government")),
    case("army-of-conquest", "The Army of Conquest overran the town of Ariha on Thursday.", ("Ariha", "opposition")),
    case("mercenaries-of-the-turkish-occupation", "Mercenaries of the Turkish occupation occupied the village of Bab "
         "al-Kheir, the SDF said.", ("Bab al-Kheir", "opposition")),
    case("druze-armed-groups", "Local Druze armed groups took control of Shahba after government troops withdrew.",
         ("Shahba", "other")),
    case("control-of-a-was-handed-to", "Control of Inkhil was handed to the army on Monday.", ("Inkhil", "government")),
    case("declared-liberated-by", "Tabqa was declared fully liberated by the SDF on Wednesday.",
         ("Tabqa", "kurdish-led")),
    case("retaken-the-village-in-the-same-sentence", "Rebels captured Kafr Nabudah at dawn, but by nightfall "
         "government forces had retaken the village.", ("Kafr Nabudah", "opposition"), ("Kafr Nabudah", "government")),
    case("deir-ez-zor", "Kurdish-led forces moved into the city of Deir ez-Zor after government troops pulled out.",
         ("Deir ez-Zor", "kurdish-led")),
    case("military-operations-command", "The Military Operations Command said its forces had liberated the town of "
         "Khan Sheikhoun.", ("Khan Sheikhoun", "opposition")),
    case("assads-militias", "Assad's militias occupied the town of Kafr Nabl, activists said.",
         ("Kafr Nabl", "government")),
    case("the-copula-s-subject-is-the-side", "Army units pressed east on Monday. According to residents, Daesh "
         "fighters have been forces to withdraw from Kafr Hamra and Tal Baydar villages after a few hours.",
         ("Kafr Hamra", "government"), ("Tal Baydar", "government")),  # "forced" mistyped: the parse reads a copula
    case("returned-to-the-state-s-embrace", "Beit Jinn returned to the state's embrace on Saturday after the last "
         "gunmen left for Idlib.", ("Beit Jinn", "government")),
    case("a-quoted-verb", "The YPG said its fighters had \"completely liberated\" Tal Abyad on Monday.",
         ("Tal Abyad", "kurdish-led")),
    case("secured-the-entire-area-of", "Government forces secured the entire area of Harasta on Thursday.",
         ("Harasta", "government")),
    case("the-turkish-general-staff", "The Turkish General Staff said its units had taken the village of Hamam.",
         ("Hamam", "turkey")),
    case("state-security-forces", "State security forces took over the village of Jubata al-Khashab after the "
         "rebels left.", ("Jubata al-Khashab", "government")),
    case("swept-through", "Turkish-backed factions swept through Jinderes on Thursday.", ("Jinderes", "opposition")),
    case("damascus-as-the-speaker", "Damascus said its forces had taken the town of Harasta.",
         ("Harasta", "government")),
    case("a-flag-of-the-revolution-over-a-village", "Rebels raised the flag of the revolution over the village of "
         "Tal Baydar on Sunday.", ("Tal Baydar", "opposition")),
    case("a-country-as-the-speaker", "Turkey says it has seized the village of Tal Baydar.", ("Tal Baydar", "turkey")),
    case("a-country-s-ministry-as-the-speaker", "Turkey's foreign ministry said on Friday its troops had captured the "
         "village of Dardara.", ("Dardara", "turkey")),
    case("they-added-after-a-side-s-sources", "The SDF held its lines. Sources close to the Turkish-backed factions "
         "confirmed that they took the village of Dardara. They added that the advance led to taking control of the "
         "villages of Kafr Hamra and Tal Baydar.", ("Dardara", "opposition"), ("Kafr Hamra", "opposition"),
         ("Tal Baydar", "opposition")),
    case("after-capturing", "Government forces shelled the area. Government troops held the city. The rebel "
         "groups advanced toward Hama after capturing the town of Morek.",
         ("Morek", "opposition")),
    case("the-groups-named-before", "Anti-regime groups pushed south all week. Fighting government forces, the "
         "groups captured the town of Morek on Friday.", ("Morek", "opposition")),
    case("groups-opposed-to-the-regime", "Armed groups opposed to the Assad regime captured the town of Morek.",
         ("Morek", "opposition")),
    case("provincial-capital-of", "Rebels captured the provincial capital of Idlib on Saturday.",
         ("Idlib", "opposition")),
    case("entered-when-the-report-tells-of-a-deal", "Rebels in the south agreed to hand over their heavy weapons. "
         "On Sunday government forces entered the towns of Nawa and Inkhil.", ("Nawa", "government"),
         ("Inkhil", "government")),
    case("they-after-a-misread-speaker", "The SDF held its lines. Sources close to the Turkish-backed factions "
         "confirmed that they took control of the village of Dardara.", ("Dardara", "opposition")),
    # "the town": the one place its sentence, or the sentence before, named
    case("the-town-after-stormed-back-into", "Rebels stormed back into Tal Baydar before dawn, but by evening the "
         "army said it had retaken the town.", ("Tal Baydar", "government")),
    case("the-village-after-a-hold-on", "The rebels' hold on Kharrata ended on Sunday when the YPG overran the "
         "village after a two-day siege.", ("Kharrata", "kurdish-led")),
    case("the-village-after-families-of", "Families of Tal Nasri looked on as the army took over the village from "
         "IS on Sunday.", ("Tal Nasri", "government")),
    case("the-town-in-the-next-sentence", "IS fighters stormed Kharrata last month. On Monday the army said it had "
         "restored control over the town.", ("Kharrata", "government")),
    case("the-town-being-cleared-of-mines", "The army retook Kharrata on Monday. Engineering units are now clearing "
         "the town of mines.", ("Kharrata", "government")),
    case("a-nearby-village-is-another", "The army took Kharrata on Monday and rebels seized a nearby village.",
         ("Kharrata", "government")),
    # "after X left A": the parser hangs X on "after"; X is who left, the other side named took A
    case("after-a-convoy-left", "Government troops entered Tal Baydar on Monday, hours after the last convoy of rebel "
         "fighters and their families left Kharrata.", ("Tal Baydar", "government"), ("Kharrata", "government")),
    case("marched-in-as-the-others-melted-away", "Rebels marched into Kharrata unopposed as government troops melted "
         "away to the south.", ("Kharrata", "opposition")),
    # sides by the words their own or their enemies' media use
    case("cleared-of-pkk", "Turkish forces cleared the village of Kafr Jannah of PKK militants on Sunday.",
         ("Kafr Jannah", "turkey")),
    case("the-occupation-forces", "The village of Kafr Jannah fell to the occupation forces after ten days of "
         "resistance, Hawar reported.", ("Kafr Jannah", "turkey")),
    case("soldiers-of-the-caliphate", "Soldiers of the caliphate regained control of the village of Kharrata, Amaq "
         "said.", ("Kharrata", "islamic-state")),
    case("our-valiant-armed-forces", "Units of our valiant armed forces restored security and stability on Wednesday "
         "to the town of Kharrata, a military source said.", ("Kharrata", "government")),
    case("the-al-qaeda-linked-isil", "Fighters from the al-Qaeda-linked Islamic State of Iraq and the Levant seized "
         "the town of Kharrata from rival rebels on Wednesday.", ("Kharrata", "islamic-state")),
    case("said-on-twitter-tsk", "Turkey's defence ministry said on Twitter that Kharrata had been taken under "
         "control by the TSK.", ("Kharrata", "turkey")),
    case("dateline-with-a-region", "ERBIL, Kurdistan Region - The Syrian National Army took control of Kharrata "
         "after Kurdish forces left.", ("Kharrata", "opposition")),
    case("announced-by-the-operations-room-of-a-battle", "The operations room of the \"Dawn of Freedom\" battle "
         "announced that rebel factions had taken control of Kharrata and Tal Nasri.", ("Kharrata", "opposition"),
         ("Tal Nasri", "opposition")),
    case("headline-side-not-the-one-cleared-of", "TITLE: Five villages cleared of PKK/YPG terrorists\nSOURCE: "
         "Example Wire\n\nThe villages of Kharrata and Tal Nasri were taken under control on Sunday, the Turkish "
         "General Staff said.", ("Kharrata", "turkey"), ("Tal Nasri", "turkey")),
]


@pytest.mark.parametrize(("text", "expected"), GENERIC)
def test_generic_actors_resolved_by_the_report(text: str, expected: set[tuple[str, str]]) -> None:
    assert news(text) == expected


# --- Previous controller ---------------------------------------------------------------------------------

PREVIOUS = [
    case("a-reconciliation-deal-is-made-with-rebels", "Army units entered the town of Jasim on Monday after militants "
         "there handed over their weapons under a reconciliation agreement. Further east, the army shelled IS "
         "positions.", ("Jasim", "government", "opposition")),
    case("from-x", "Kurdish fighters took control of the village of Sabaa Skour from ISIS on Monday.",
         ("Sabaa Skour", "kurdish-led", "islamic-state")),
    case("recaptured-from-rebels", "The Syrian Arab Army recaptured the town of Khan Shaykhun from rebels.",
         ("Khan Shaykhun", "government", "opposition")),
    case("wrested-from", "The SDF wrested control of the village of Hazima from the Islamic State.",
         ("Hazima", "kurdish-led", "islamic-state")),
    case("x-held-village-of", "The SDF captured the IS-held village of Hazima.",
         ("Hazima", "kurdish-led", "islamic-state")),
    case("rebel-held-town-of", "Government forces captured the rebel-held town of Latamneh.",
         ("Latamneh", "government", "opposition")),
    case("ypg-held-village-taken", "Turkish-backed factions seized the YPG-held village of Dardara.",
         ("Dardara", "opposition", "kurdish-led")),
    case("lost-to", "The rebels lost the village of Kafr Nabudah to government troops.",
         ("Kafr Nabudah", "government", "opposition")),
    case("surrendered-to", "Islamic State fighters surrendered the village of Baghouz to the SDF.",
         ("Baghouz", "kurdish-led", "islamic-state")),
    case("handed-over-to", "The SDF handed the village of Arima over to government forces.",
         ("Arima", "government", "kurdish-led")),
    case("drove-out-of", "The SDF drove IS out of the village of Susah.", ("Susah", "kurdish-led", "islamic-state")),
    case("expelled-from", "The YPG expelled ISIS from the village of Tal Abyad Sharqi.",
         ("Tal Abyad Sharqi", "kurdish-led", "islamic-state")),
    case("ousted-from", "Rebels ousted government forces from the village of Kafr Nabudah.",
         ("Kafr Nabudah", "opposition", "government")),
    case("cleared-of", "The Syrian Arab Army cleared the village of Tadef of Islamic State fighters.",
         ("Tadef", "government", "islamic-state")),
    case("withdrew-as-advanced", "IS militants withdrew from the village of Tal Nasri after YPG fighters advanced "
         "on it.", ("Tal Nasri", "kurdish-led", "islamic-state")),
    case("withdrew-as-the-ypg-advanced", "Islamic State fighters withdrew from Tal Nasri as the YPG advanced.",
         ("Tal Nasri", "kurdish-led", "islamic-state")),
    case("recaptured-from-by", "The village of Mahin was recaptured from the Islamic State by the Syrian army.",
         ("Mahin", "government", "islamic-state")),
    # Wrong direction: the side driven out is named first, as the subject of a passive.
    case("driven-out-by", "IS fighters were driven out of the village of Tal Maaruf by the SDF.",
         ("Tal Maaruf", "kurdish-led", "islamic-state")),
    case("expelled-from-by", "Islamic State militants were expelled from the town of Shaddadi by Kurdish fighters.",
         ("Shaddadi", "kurdish-led", "islamic-state")),
    case("cleared-as-defences-collapsed", "The villages of Susah and Hajin were cleared as IS defences collapsed "
         "against Iraqi and SDF units.", ("Susah", "kurdish-led", "islamic-state"),
         ("Hajin", "kurdish-led", "islamic-state")),
    case("an-ally-is-not-the-loser", "Rebels backed by Turkish troops took control of Tal Baydar on Monday.",
         ("Tal Baydar", "opposition", None)),
    case("further-gains-from-the-same-enemy", "The SDF took the village of Tal Nasri from IS on Monday, while "
         "government troops shelled Hasakah. On Tuesday the SDF also captured Kharrata.",
         ("Tal Nasri", "kurdish-led", "islamic-state"), ("Kharrata", "kurdish-led", "islamic-state")),
    case("a-generic-enemy-is-never-an-ally", "Turkish troops and Syrian rebels advanced against the YPG near Afrin. "
         "The village of Kafr Jannah was cleared of terrorists, the Turkish army said.",
         ("Kafr Jannah", "turkey", "kurdish-led")),
    case("the-state-s-terrorists-are-the-rebels", "Army units restored security to the village of Kharrata after "
         "eliminating the last terrorist gatherings.", ("Kharrata", "government", "opposition")),
]


@pytest.mark.parametrize(("text", "expected"), PREVIOUS)
def test_previous_controller(text: str, expected: set[tuple[str, str, str | None]]) -> None:
    assert with_previous(text) == expected


# --- Traps: no control change (background or not) for the place named -----------------------------------

TRAPS = [
    case("in-control-of-held", "Government forces are in control of the town of Kafr Hamra, residents said."),
    case("free-of-charge", "Aid was distributed free of charge in the village of Tal Dahab."),
    case("entered-as-the-other-side-left-its-positions", "Rebels entered the town of Morek as government forces "
         "withdrew from their checkpoints."),
    case("entered-without-a-deal", "Government forces entered the town of Busra al-Harir on Sunday after heavy "
         "shelling."),
    # a landmark, a share, positions, an area: not the place taken
    case("town-near-a-city", "A strategic town close to the city of Aleppo has fallen to Syrian rebels."),
    case("percent-of", "Only 35 percent of Hajin has been liberated by the SDF so far."),
    case("evacuated-checkpoints-near", "YPG fighters evacuated their checkpoints near the village of Tal Sukkar."),
    case("area-villages", "The Syrian army seized several Hama villages on Monday."),
    case("a-hill-by-name", "Government forces took over the Zeitoun Hill on Friday."),
    case("villages-that-fell-silent", "Among the villages that fell silent after the shelling were Tal Baydar and "
         "Dardara."),
    case("a-possessive-person-is-no-town", "The rebels killed 30 of Assad's soldiers. The town is now in the hands "
         "of the rebels."),
    case("where-residents-fled-is-no-town", "Two residents who had fled to Raqqa said the town was now in the hands of "
         "the factions."),
    case("where-a-spokesman-spoke-is-no-town", "A coalition spokesman confirmed in Baghdad that the city was now under "
         "SDF control."),
    case("a-banner-named-by-of", "On Monday IS fighters raised the banner of Tawhid over the police station."),
    case("agreed-to-allow-a-withdrawal", "Both sides agreed to allow the withdrawal of YPG fighters from the town "
         "of Tal Baydar."),
    case("refuted-by-the-observatory", "Rebels said they had captured the town of Mhardeh, but the Observatory said "
         "government forces still held it."),
    case("a-faction-s-claim-denied-by-the-observatory", "A Turkish-backed faction said it had taken the village of "
         "Tal Shair, but the Observatory denied this, saying the attack had been repelled."),
    case("not-lost-says-the-observatory", "Government media claim troops took Kharrata, but the Observatory said "
         "rebels have not lost the village."),
    case("a-headline-claim-and-a-monitor", "The rebels claim the capture of Kharrata. A war monitor said the army had "
         "not been driven out."),
    case("neighbourhoods-of-a-city", "Government troops took control of the Bustan al-Basha and Sheikh Khodr "
         "neighbourhoods of eastern Aleppo."),
    case("a-border-crossing", "Rebels seized the Nasib border crossing with Jordan on Wednesday."),
    case("a-name-then-a-hill", "Rebels seized Tal al-Harra, a strategic hill overlooking the countryside."),
    case("are-to-enter-next-week", "Under the agreement, government forces are to enter Tafas next week."),
    case("if-they-manage-to-seize", "If government forces manage to seize Khan Sheikhoun, they would encircle the "
         "rebel pocket, analysts said."),
    case("pushed-north-from", "Tiger Forces units pushed north from Suran on Monday."),
    case("partial-control-of", "SDF fighters have seized partial control of the town of Hajin."),
    case("a-military-air-base-by-name", "Rebels captured the Abu al-Duhur military air base after a long siege."),
    case("a-checkpoint-by-name", "The army seized the Tal Dahab checkpoint."),
    case("an-elevation-by-name", "Government troops took control of the Tal Hamra elevation, three hills above "
         "the road, the channel said."),
    case("a-plateau-taken-by-a-state-outside-the-sides", "Rebels shelled positions near the Golan plateau, which "
         "Israel captured from Syria long ago."),
    case("part-of-a-province", "Government forces withdrew from Eastern Raqqa as the Islamic State advanced."),
    case("area-villages-capitalised", "Syrian army seizes Aleppo Villages, eyes Raqqa"),
    case("entered-not-full-control", "The army entered the town of Tadef but did not take full control of it."),
    # not yet, nearly, about to
    case("yet-to-capture", "Government forces have yet to capture the town of Kafr Hamra."),
    case("close-to-capturing", "The SDF is close to capturing the town of Hajin."),
    case("on-the-verge-of", "Rebels are on the verge of taking the village of Tal Baydar."),
    case("poised-to-take", "Turkish-backed factions were poised to take the town of Marea."),
    case("expected-to-capture", "The army is expected to capture the village of Tal Baydar within days."),
    case("failure-to-capture", "The army's failure to capture the village of Tal Baydar angered its allies."),
    case("without-capturing", "The offensive ended without capturing the village of Tal Baydar."),
    case("advanced-towards", "Government troops advanced towards the village of Tal Baydar on Monday."),
    # "fell" that is no fall of a place
    case("rockets-fell-on", "Two rockets fell on the village of Tal Baydar on Friday."),
    case("town-fell-silent", "After the shelling the town of Tal Baydar fell silent."),
    case("casualties-fell", "The number of dead in the village of Tal Baydar fell after the truce."),
    # held, not taken
    case("controlled-by", "Fighters moved towards Marea, controlled by Turkish-backed factions."),
    case("occupied-for-years", "For the last three years, Tal Baydar has been occupied by the YPG."),
    # repelled
    case("repelled-attack-on", "The SDF repelled an IS attack on the village of Tal Maaruf."),
    case("repelled-attempt-to-capture", "Government troops repelled an attempt by rebels to capture the town of "
         "Morek."),
    case("repulsed-assault", "Kurdish fighters repulsed an Islamic State assault on the town of Tal Tamr."),
    # encircled, besieged
    case("encircled", "Government forces encircled the town of Latamneh on Monday."),
    case("besieged", "The SDF has besieged the town of Tabqa from three sides."),
    case("surrounded", "Islamic State militants surrounded the village of Tal Nasri."),
    # partial
    case("took-parts-of", "The YPG took parts of the town of Tal Abyad."),
    case("entered-the-outskirts-of", "Government troops entered the outskirts of Khan Shaykhun."),
    case("several-buildings-in", "The SDF captured several buildings in the village of Hajin."),
    case("eastern-neighbourhoods-of", "Rebels seized the eastern neighbourhoods of Saraqeb."),
    case("hill-overlooking", "Islamic State fighters captured a hill overlooking the village of Mahin."),
    case("checkpoints-on-the-edge", "The army seized two checkpoints on the edge of Qaryatayn."),
    # hypothetical, attempt, future
    case("tried-to-capture", "The SDF tried to capture the village of Susah on Sunday."),
    case("failed-to-take", "Government forces failed to take the village of Tal Baydar despite heavy shelling."),
    case("could-fall", "The town of Mhardeh could fall to the rebels within days."),
    case("will-capture", "The army will capture the town of Saraqeb, a general said."),
    case("plans-to-seize", "The Syrian National Army plans to seize the town of Tal Rifaat."),
    case("an-attempt-to-capture", "An attempt by the SDF to capture the village of Shaafa ended in failure."),
    case("preparing-to-take-over", "Turkish troops are preparing to take over the town of Manbij."),
    case("if-conditional", "If the rebels take the town of Markada, the road to the south will be cut."),
    case("in-the-event-that", "In the event that IS gains control of the village of Hol, the camp would be exposed."),
    case("offensive-to-retake", "The SDF launched a counter-offensive to retake the town of Safiya."),
    # held, not changed
    case("x-held-village-under-fire", "The YPG-held village of Tal Shamiran came under mortar fire on Sunday."),
    case("remains-under-control", "The village of Tal Baydar remains under SDF control."),
    case("still-hold", "Government forces still hold the town of Mhardeh."),
    case("under-control-since", "Hajin, which has been under Islamic State control since 2014, was hit by air "
         "strikes."),
    # negated
    case("did-not-capture", "Government forces did not capture the village of Souran."),
    case("didnt-take", "The rebels didn't take the village of Tal Tamr after all."),
    case("didnt-capture-upper-case", "THE ARMY DIDN'T CAPTURE THE TOWN OF MARKADA."),
    case("has-not-fallen", "The town of Morek has not fallen, a rebel commander said."),
    case("never-captured", "Islamic State fighters never captured the village of Tal Brak."),
    case("has-not-taken-control", "Contrary to earlier reports, the SDF has not taken control of the village of "
         "Susah."),
    # clashes, shelling, other incidents only
    case("clashes-near", "Clashes erupted near the village of Tal Kaifji between the YPG and IS militants."),
    case("fighting-around", "Heavy fighting continued around the town of Saraqeb between rebels and government "
         "forces."),
    case("shelled", "Regime artillery shelled the village of Ghuwayran overnight."),
    case("air-strikes", "Warplanes struck the town of Shaddadi, killing five civilians."),
    case("arrests", "Security forces arrested twelve men in the village of Abu Hajira."),
    case("seized-weapons", "Kurdish fighters seized a large amount of weapons and ammunition."),
    case("villages-around-a-place", "The Kurdish forces seized more than 40 villages around Tal Hamis."),
    case("headline-line", "Kurdish Fighters Capture Eleven Villages Around Tal Tamr\n\nFighting went on near "
         "Tal Tamr."),
    # adjectives that are not places
    case("druze-majority", "Islamic State militants seized a Druze-majority village near Sweida."),
    case("syrian-iraqi-border", "The SDF took control of the Syrian-Iraqi border crossing."),
    # a change beside a trap: only the change counts
    case("captured-but-failed", "The SDF captured the village of Hazima but failed to take the town of Tabqa.",
         ("Hazima", "kurdish-led")),
    case("repelled-and-captured", "Rebels repelled an attack on Kafr Nabudah and captured the village of Hamidiyeh.",
         ("Hamidiyeh", "opposition")),
    case("near-the-border", "The SDF captured the village of Baghouz near the Syrian-Iraqi border.",
         ("Baghouz", "kurdish-led")),
    case("kurdish-majority-is-not-the-actor", "Turkish-backed factions captured the Kurdish-majority town of Rajo.",
         ("Rajo", "opposition")),
    # "the town" with no antecedent: a landmark, two places, a dateline, a region
    case("the-village-after-a-landmark", "Troops moving up from the farms south of Kharrata captured the village "
         "after noon."),
    case("the-town-after-two-places", "After clashes in Tal Baydar and Kharrata, the SDF took the town on Friday."),
    case("the-town-after-a-dateline", "HASAKAH, March 9 - The SDF took the town on Friday, a commander said."),
    case("the-town-after-a-region", "Government forces advanced across Eastern Ghouta and took the town after dawn."),
    case("a-valley", "Rebels left Wadi Barada under the deal on Sunday."),
    case("weapons-first-in-a-sentence", "Pistols, ammunition and mobile phones were seized during the raid on "
         "Kharrata."),
    case("denied-the-reports", "State media claimed that IS fighters had seized the village of Tal Nasri. Residents "
         "denied the reports."),
]


@pytest.mark.parametrize(("text", "expected"), TRAPS)
def test_traps(text: str, expected: set[tuple[str, str]]) -> None:
    assert anything(text) == expected


# --- Denials and verification ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "place"),
    [
        pytest.param("The SDF denied that IS had captured the village of Tal Brak.", "Tal Brak", id="denied-that"),
        pytest.param("Rebels denied reports that government forces had captured the town of Morek.", "Morek",
                     id="denied-reports-that"),
    ],
)
def test_a_denial_alone_is_no_verified_change(text: str, place: str) -> None:
    assert [c for c in read(text) if c["place"] == place and c["verified"]] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("IS announced its control over the village of Tal Khanzir. A YPG source denied that the "
                     "village had fallen.", [("Tal Khanzir", "islamic-state", False)], id="claim-then-denial"),
        pytest.param("Pro-government media said the army took control of the village of Kawkab. The agency could "
                     "not verify the report independently.", [("Kawkab", "government", False)],
                     id="could-not-verify"),
        pytest.param("A YPG spokesman said the group liberated the village of Tal Brak from IS.",
                     [("Tal Brak", "kurdish-led", False)], id="one-party-announcement"),
        pytest.param("Local activists confirmed that the YPG captured the village of Tal Fweida on Monday.",
                     [("Tal Fweida", "kurdish-led", True)], id="confirmed"),
        pytest.param("The YPG captured the village of Tal Fweida on Monday.", [("Tal Fweida", "kurdish-led", True)],
                     id="plain-statement"),
        pytest.param("Rebels say they seized the village of Kharrata on Monday. Rebel fighters patrol Kharrata "
                     "after seizing it from the army.", [("Kharrata", "opposition", True)],
                     id="a-party-s-claim-the-outlet-also-states-as-fact"),
        pytest.param("Rebels overran the town of Kharrata on Sunday, activists said. Damascus accused Amman of letting "
                     "the fighters through, which Jordan denied.", [("Kharrata", "opposition", True)],
                     id="a-later-denial-of-something-else"),
        pytest.param('SOURCE: Telegram channel "Front Relay" (pro-government)\n\nThe army liberated the village of '
                     "Tal Arn this morning.", [("Tal Arn", "government", False)], id="a-source-that-says-whose-it-is"),
        pytest.param("Turkish troops took the village of Tal Baydar from the YPG, the Ministry of National Defence "
                     "said on Tuesday.", [("Tal Baydar", "turkey", False)], id="a-ministry-of-national-defence"),
        pytest.param("The Syrian Democratic Forces (SDF) announced that their fighters had captured the village of "
                     "Tal Samin.", [("Tal Samin", "kurdish-led", False)], id="a-side-named-with-its-abbreviation"),
    ],
)
def test_verification(text: str, expected: list[tuple[str, str, bool]]) -> None:
    assert [(c["place"], c["new_controller"], c["verified"]) for c in read(text)] == expected


# --- Background ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "place", "background"),
    [
        pytest.param("Since the YPG captured the town of Tal Abyad last year, trade with the east has resumed.",
                     "Tal Abyad", True, id="since-captured-last-year"),
        pytest.param("The YPG has grown stronger since liberating the town of Kobani last year.", "Kobani", True,
                     id="since-liberating"),
        pytest.param("The Islamic State, which seized the city of Raqqa in 2014, is now on the defensive.", "Raqqa",
                     True, id="which-seized-in-2014"),
        pytest.param("The YPG captured the town of Tal Abyad on Monday.", "Tal Abyad", False, id="news"),
        pytest.param("Rebels shelled army posts on Monday, 20 days after government troops captured the village of "
                     "Khanasir.", "Khanasir", True, id="days-after-a-capture"),
        pytest.param("The government's recapture of Aleppo in December 2016 changed the war.", "Aleppo", True,
                     id="in-a-month-and-year"),
        pytest.param("The town of Tal Abyad, held by the Islamic State since 2014, was captured by the YPG on "
                     "Monday.", "Tal Abyad", False, id="held-since-in-a-relative-is-not-the-change"),
    ],
)
def test_background(text: str, place: str, background: bool) -> None:
    assert [(c["place"], c["background"]) for c in read(text)] == [(place, background)]


def test_a_past_perfect_relative_or_weeks_after_tells_what_came_before() -> None:
    relative = read("Government forces, which had captured Kafr Nabudah in May, lost the village again to rebels "
                    "on Thursday.")
    assert {(c["new_controller"], c["background"]) for c in relative} == {("opposition", False),
                                                                          ("government", True)}
    weeks = read("Syrian troops wrested back Kafr Nabudah on Tuesday, three weeks after insurgents overran the "
                 "village.")
    assert {(c["new_controller"], c["background"]) for c in weeks} == {("government", False), ("opposition", True)}


def test_a_perfect_participle_tells_what_came_before() -> None:
    changes = read("The army retook Khanaser on Monday, having lost the village to rebels in the spring.")
    assert {(c["new_controller"], c["background"]) for c in changes} == {("government", False), ("opposition", True)}


def test_the_main_clause_is_news_and_the_relative_clause_its_background() -> None:
    changes = read("The army took control of Kafr Nabudah, which rebels had seized last month.")
    assert {(c["new_controller"], c["background"]) for c in changes} == {("government", False), ("opposition", True)}


# --- Reference across sentences, dates, held state -------------------------------------------------------


def test_the_village_refers_to_the_last_named_one() -> None:
    text = (
        "IS fighters attacked the village of Tal Nasri before dawn. "
        "By nightfall the Islamic State had declared its control over the village."
    )
    assert news(text) == {("Tal Nasri", "islamic-state")}


def test_a_headline_takes_the_attribution_its_body_gives() -> None:
    found = read("TITLE: Rebels take Tal Baydar\n\nRebels took Tal Baydar on Monday, rebel sources said.")
    assert [(c["place"], c["certainty"], c["verified"]) for c in found] == [("Tal Baydar", "claimed", False)]


@pytest.mark.parametrize(
    ("when", "date"),
    [("on Monday", "2016-03-07"), ("yesterday", "2016-03-09"), ("last week", "2016-03-03"),
     ("on March 2", "2016-03-02"), ("on 2 March", "2016-03-02"), ("on Sunday", "2016-03-06"),
     ("in May", "2016-03-10"), ("on December 30", "2015-12-30"), ("on March 2, 2014", "2014-03-02")],
)
def test_event_date(when: str, date: str) -> None:
    found = read(f"The YPG took control of the village of Kharrata {when}.")
    assert [(c["place"], c["event_date"]) for c in found] == [("Kharrata", date)]


def test_under_control_is_a_state_not_a_change() -> None:
    fields = parse_text("The village of Tal Baydar, under SDF control since 2016, came under shelling.")
    fields["published"] = PUBLISHED
    found = extract(build_report(fields)).to_contract()
    assert found["control_changes"] == []
    events = found["events"]
    assert [(e["place"], e["actors"]) for e in events if e["type"] == "control_held"] == [
        ("Tal Baydar", ["kurdish-led"])]
    assert "shelling" in {e["type"] for e in events}
