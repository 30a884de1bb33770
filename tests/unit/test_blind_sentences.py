"""Short reports helpers wrote for us without seeing the reader's code or rules (our own sentences, not from
any article): the changes each states, or none. A check on how the reader meets phrasing it was not built
from. `blind_sentences.txt` (150, one or two sentences): 132 read right when they arrived. `blind_reports.txt`
(100 reports of two to four sentences, written after the first set's fixes): 83 read right when they arrived
(precision 0.89, recall 0.76 over their 66 changes). `blind_reports_2.txt` (120 reports of one to five
sentences, written after the second set's fixes): 98 read right when they arrived (precision 0.85, recall
0.86 over their 101 changes, 8 of 50 reports without a change given one). The misses were fixed by general
rules (phrasebook cases beside each). `blind_reports_3.txt` (120 reports asking on purpose for unusual
idioms, written last): precision 0.91, recall 0.68 over 85 changes on arrival, 2 of 50 no-change reports
given a change. The ones still missed are marked with why. Four labels were corrected to the labelled
reports' convention (a joint actor "Turkish forces and allied rebels" is `turkey`, as in ../shared's gold
files), where the helpers had written `opposition`. Where a place changes hands
twice in one report, both changes are expected."""

from __future__ import annotations

from pathlib import Path

import pytest

from villagewatch.ingest.parse import build_report
from villagewatch.understanding.extract import extract

DATA = Path(__file__).parent / "data"

KNOWN_MISSES = {
    "Syrian army troops entered the towns of Kafranbel": "entering, and the other side's withdrawal told in the "
                                                         "next sentence",
    "Elite Tiger Forces units led by": "entering, and the other side's flight told in the next sentence",
    "Opposition fighters in Busra al-Sham": "a flag raised over 'the town's citadel': the town as a possessor",
    "Islamic State's Amaq news agency said": "a claim refuted by the other party only (no independent voice) is "
                                             "kept as an unverified change",
    "SDF fighters drove Islamic State from al-Mansoura": "'entered B as well' after a change: no deal, no flight",
    "Islamic State militants recaptured Palmyra on Sunday": "'had driven them out of the city in March': a past "
                                                            "perfect with a month is not read as background",
    "The Army of Conquest, an alliance": "the parse makes 'captured' an adjective of the place",
    "QAMISHLI (Hawar) - People of Ain Issa": "'the town's liberation at the hands of X': the town as a possessor",
    # blind_reports_3: idioms asked for on purpose ("mopped up", "handed the keys", "filled the vacuum")
    "By dawn on Friday Hayat Tahrir al-Sham fighters had mopp": "'mopped up', and 'giving X full control of the "
                                                                "village': the taker as an indirect object",
    "Of the town's 20,000 pre-war residents": "'entered it, ending five years of rebel control': no deal, no flight",
    "Damascus said on Thursday night that its forces": "'Damascus' as the government's name; 'its forces'",
    "Islamic State fighters stormed back into Ain Issa": "'stormed back into A': no candidate sets the place "
                                                         "'the town' means next",
    "Resistance forces have": "'Resistance forces' (Iranian media for the government's allies) is no actor",
    "It took the insurgents barely six hours": "'they were in A' states no change by itself",
    "The militia, which answers to Iran's Revolutionary Guard": "'the militia' named by what it answers to",
    "Residents of Jubata al-Khashab watched": "'took over the village' for a place named as whose residents watched",
    "Government forces pushed into Atshan": "'pushed into A' then 'driven back out of the village'",
    "Russian military police deployed in Douma": "a flag hoisted 'over a public building in the town'",
    "Units of the Syrian Arab Army raised the national flag": "a flag raised 'over the main square of A'",
    "The army took Tal Daman on Monday. Two days later": "'moved into B' in a list of takeovers",
    "At around 3 a.m. local time": "'stormed A', then A 'under the full control of the soldiers of the caliphate'",
    "Kurdish officials denied that Turkish forces had captured Ras al-Ain":
        "a claim denied by the other party only is kept as an unverified change with its denial",
    "Islamic State claimed to have captured the village of Tal Hamis":
        "a claim called false by the other party only is kept as an unverified change",
}


def cases() -> list[object]:
    out = []
    for name in ("blind_sentences", "blind_reports", "blind_reports_2", "blind_reports_3"):
        out.extend(_read(name))
    return out


def _read(name: str) -> list[object]:
    out = []
    for n, line in enumerate((DATA / f"{name}.txt").read_text(encoding="utf-8").splitlines(), 1):
        text, _, expected = line.partition(" ||")
        want = {tuple(item.strip().rsplit(":", 1)) for item in expected.split(";") if item.strip()}
        miss = next((why for start, why in KNOWN_MISSES.items() if text.startswith(start)), None)
        marks = [pytest.mark.xfail(reason=miss, strict=True)] if miss else []
        out.append(pytest.param(text, want, id=f"{name}:{n}", marks=marks))
    return out


@pytest.mark.parametrize(("text", "expected"), cases())
def test_blind_sentence(text: str, expected: set[tuple[str, str]]) -> None:
    report = build_report({"text": text, "source": "Example Wire", "published": "2019-03-02"})
    found = {(c["place"], c["new_controller"]) for c in extract(report).to_contract()["control_changes"]
             if not c["background"]}
    assert found == expected
